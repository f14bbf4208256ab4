import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';

/** The project root, where the handler entries (`lambdas/...`) and package-lock.json live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Packages a function imports only when it first needs them, shipped beside its bundle instead of inside it: V8
 * scans every byte of a bundle at a cold start, run or not. The Powertools Logger writes only the lines an operator
 * acts on (lambdas/shared/logger.ts imports it on the first one), so an instance that answers well never loads it;
 * inside the bundle, unevaluated, it cost about 1% of every cold start (callgrind). Each is bundled on its own, with
 * the same settings, into `node_modules/<name>/index.mjs` of the function's asset, where Node resolves the bare
 * `import()` at run time.
 */
export const LAZY_MODULES = ['@aws-lambda-powertools/logger'] as const;

/**
 * esbuild settings shared by the CDK app and the benchmark, so that what is measured is
 * exactly what is deployed. No source maps by default: see {@link BffFunctionProps.sourceMaps}.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: false,
  sourcesContent: false,
  target: 'node24',
  mainFields: ['module', 'main'],
  // Bundle the AWS SDK: the version in package-lock.json is the one tested, and a minified
  // bundle loads faster than the runtime's own copy. Only the lazy modules stay out (shipped beside it).
  externalModules: [...LAZY_MODULES],
  // Some dependencies still call require(); ESM bundles need it defined.
  banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
} as const;

export interface BffFunctionProps {
  /** Handler entry relative to the project root; it exports `handler`. */
  readonly entry: string;
  /**
   * The function's configuration, as the configuration contract writes it (`toEnvironment`).
   * @default - only the Powertools service name and log level
   */
  readonly environment?: Record<string, string>;
  /**
   * @default Duration.seconds(25): a Cognito call of up to 17 s (BFF_TIMEOUTS) and throttled retries,
   * inside API Gateway's 29 s
   */
  readonly timeout?: Duration;
  /** @default DEFAULT_MEMORY_MB (256) */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.DESTROY for logs */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default - no description */
  readonly description?: string;
  /**
   * Ship a source map with the bundle and turn it on (`NODE_OPTIONS=--enable-source-maps`), so that
   * stack traces in the logs point into the TypeScript sources. Off by default: a map is about 1.7
   * times its bundle, so the package Lambda downloads at a cold start grows past the bundle budget,
   * and no log line of the product carries a stack trace (README, "Source maps").
   * @default false
   */
  readonly sourceMaps?: boolean;
}

/**
 * {@link BUNDLING} as esbuild's own options (the ESM format, no source map), for the benchmark and the tests that
 * bundle a function as the CDK app does.
 */
export const esbuildOptions = (): BuildOptions => ({
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: BUNDLING.minify,
  sourcemap: BUNDLING.sourceMap,
  sourcesContent: BUNDLING.sourcesContent,
  target: BUNDLING.target,
  mainFields: [...BUNDLING.mainFields],
  banner: { js: BUNDLING.banner },
  external: [...BUNDLING.externalModules],
  logLevel: 'error',
});

const shellQuoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The shell command that bundles the {@link LAZY_MODULES} into a function's asset directory `outputDir`, run from
 * the project root `inputDir`: the CDK's afterBundling hook, and the benchmark and tests, which lay out a function
 * as the CDK does. Each module is one minified ESM file with a package.json that names it.
 */
export function lazyModulesCommand(inputDir: string, outputDir: string): string {
  const esbuild = `${inputDir}/node_modules/.bin/esbuild`;
  return LAZY_MODULES.map((name) => {
    const dir = `${outputDir}/node_modules/${name}`;
    const flags = [
      '--bundle',
      '--platform=node',
      `--format=${BUNDLING.format}`,
      ...(BUNDLING.minify ? ['--minify'] : []),
      `--target=${BUNDLING.target}`,
      `--main-fields=${BUNDLING.mainFields.join(',')}`,
      '--log-level=error',
      shellQuoted(`--banner:js=${BUNDLING.banner}`),
      shellQuoted(`--outfile=${dir}/index.mjs`),
    ];
    const manifest = JSON.stringify({ name, type: 'module', main: 'index.mjs' });
    return [
      `cd ${shellQuoted(inputDir)}`,
      // esbuild from the project (local bundling), or the one on the PATH (the CDK's bundling image).
      `E=${shellQuoted(esbuild)}; [ -x "$E" ] || E=esbuild; "$E" ${shellQuoted(name)} ${flags.join(' ')}`,
      `printf '%s' ${shellQuoted(manifest)} > ${shellQuoted(`${dir}/package.json`)}`,
    ].join(' && ');
  }).join(' && ');
}

/** The one switch that makes maps work in AWS: Node ignores a shipped map without it. */
/** A function's memory unless its props say otherwise (MB). The benchmark sizes its V8 heap from it, as Lambda does. */
export const DEFAULT_MEMORY_MB = 256;

export const SOURCE_MAPS_NODE_OPTIONS = '--enable-source-maps';

/**
 * One set of function defaults for every Lambda of the product: nodejs24.x (the runtime that
 * development, tests and CI run too), ARM64, minified ESM (source maps on request), an explicit log group
 * with retention, a timeout, X-Ray tracing, JSON logs. Every handler is async: nodejs24.x no
 * longer calls callback-style handlers.
 */
export class BffFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BffFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(25),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      description: props.description,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'password-bff',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(props.sourceMaps ? { NODE_OPTIONS: SOURCE_MAPS_NODE_OPTIONS } : {}),
        ...props.environment,
      },
      bundling: {
        ...BUNDLING,
        sourceMap: props.sourceMaps ?? false,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [...BUNDLING.externalModules],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => [lazyModulesCommand(inputDir, outputDir)],
        },
      },
    });
  }
}
