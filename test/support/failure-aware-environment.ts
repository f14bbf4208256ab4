/** Node's test environment, plus the running test's name and failure state (see current-test.ts). */
import { TestEnvironment } from 'jest-environment-node';
import { CURRENT_TEST, type CurrentTest } from './current-test';

interface TestEvent {
  name: string;
  test?: { name: string };
  hook?: { type: string };
}

export default class FailureAwareEnvironment extends TestEnvironment {
  private readonly current: CurrentTest = { name: '', failed: false };

  override async setup(): Promise<void> {
    await super.setup();
    this.global[CURRENT_TEST] = this.current;
  }

  handleTestEvent(event: TestEvent): void {
    if (event.name === 'test_start' && event.test) {
      this.current.name = event.test.name;
      this.current.failed = false;
    }
    if (event.name === 'test_fn_failure' || (event.name === 'hook_failure' && event.hook?.type === 'beforeEach'))
      this.current.failed = true;
  }
}
