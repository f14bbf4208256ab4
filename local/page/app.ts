/**
 * The product page of the local stack, like an authenticator: one state at a time (signed out: sign in,
 * create account, forgot; confirm; reset; the new-password challenge; signed in), built on the packaged
 * client's session manager in cookie mode (the tokens stay in the BFF's HttpOnly cookies; a reload restores
 * the session). One message at a time, in plain words; fields cleared after each success.
 */
import { type LinkFlow, type Me, type PasswordPolicy, ProblemError, createSession } from '../../client';

type View = 'loading' | 'sign-in' | 'sign-up' | 'confirm' | 'forgot' | 'reset' | 'challenge' | 'account';

const session = createSession({ baseUrl: location.origin });
const redirectUri = `${location.origin}/`;
const adminGroup = document.querySelector<HTMLMetaElement>('meta[name="bff-admin-group"]')?.content ?? 'admins';
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const input = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement;
const value = (form: HTMLFormElement, name: string) => input(form, name).value.trim();
/** Runs after the form that succeeded was cleared (so that a form it fills stays filled). */
const later = (callback: () => void) => setTimeout(callback, 0);
/** A verification code from a link, kept until the person has signed in. */
let pendingVerifyCode: string | undefined;

// ---- One message at a time ----

function say(text: string, kind: 'info' | 'error' = 'info') {
  const message = $('#message');
  message.className = kind;
  message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  message.textContent = text;
}
const clearMessage = () => say('');

/** Problem codes in plain words (never the field paths of a validation answer). */
function explain(error: unknown, context: 'sign-in' | 'code' | 'password' | 'account' | 'admin' = 'account'): string {
  if (!(error instanceof ProblemError)) return 'The service cannot be reached. Check your connection and try again.';
  const wait = error.retryAfter ? ` Try again in ${error.retryAfter} seconds.` : ' Wait a few minutes and try again.';
  switch (error.code) {
    case 'NotAuthorized':
      if (context === 'sign-in')
        return 'The email or password is wrong, or the account is locked for a few minutes after several failed attempts.';
      return 'Your session has ended. Sign in again.';
    case 'IncorrectPassword':
      return 'Your current password is wrong. Check it and try again.';
    case 'UserNotConfirmed':
      return 'Your account is not confirmed yet. Enter the code we emailed you.';
    case 'UsernameExists':
      return 'An account with this email already exists. Sign in, or reset your password.';
    case 'AliasExists':
      return 'This email is already used by another account.';
    case 'CodeMismatch':
    case 'ExpiredCode':
      return 'The code is wrong or no longer valid: check it, or request a new code.';
    case 'InvalidPassword':
      return 'This password does not meet the rules listed under the field.';
    case 'PasswordReused':
      return 'You have used this password recently. Choose one you have not used before.';
    case 'PasswordResetRequired':
      return 'Your password must be reset. Enter the code we emailed you and choose a new password.';
    case 'TooManyRequests':
    case 'LimitExceeded':
    case 'TooManyFailedAttempts':
      return `Too many attempts.${wait}`;
    case 'Forbidden':
      return 'You are not allowed to do this.';
    case 'UserNotFound':
    case 'TargetNotConfirmed':
    case 'TargetDisabled':
    case 'TargetStateUnsupported':
      return context === 'admin'
        ? 'There is no active, confirmed user with this email.'
        : 'We could not find this account.';
    case 'CodeDeliveryFailure':
      return 'We could not send the email. Try again later.';
    case 'ValidationFailed': {
      const fields = new Set(error.errors.map((e) => e.path.split('.').pop() ?? ''));
      if ([...fields].some((f) => /password/i.test(f))) return 'Check the password: it does not meet the rules.';
      if (fields.has('username') || fields.has('email')) return 'Enter a valid email address.';
      if (fields.has('code')) return 'Enter the code from the email.';
      return 'Some of what you entered is not valid. Check the form and try again.';
    }
    default:
      return `Something went wrong on our side.${wait}`;
  }
}

// ---- One state at a time ----

function show(view: View, focus?: string) {
  for (const section of document.querySelectorAll<HTMLElement>('[data-view]')) {
    section.hidden = section.dataset.view !== view;
  }
  document.body.dataset.state = view;
  const target = focus ? $(focus) : document.querySelector<HTMLElement>(`[data-view="${view}"] input`);
  target?.focus();
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-go]')) {
  button.addEventListener('click', () => {
    clearMessage();
    show(button.dataset.go as View);
  });
}

/** Wires a form: buttons disabled in flight, one message, the form cleared after success. */
function handle(
  selector: string,
  action: (form: HTMLFormElement) => Promise<string | undefined>,
  context?: Parameters<typeof explain>[1],
) {
  const form = $<HTMLFormElement>(selector);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(form, () => action(form), context);
  });
}

async function run(form: HTMLFormElement, action: () => Promise<string | undefined>, context?: string) {
  const buttons = [...form.querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  clearMessage();
  try {
    const done = await action();
    form.reset();
    updateRules();
    if (done) say(done);
  } catch (error) {
    say(explain(error, context as Parameters<typeof explain>[1]), 'error');
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** Fills the named fields of a form. */
function fill(selector: string, values: Record<string, string>) {
  const form = $<HTMLFormElement>(selector);
  for (const [name, text] of Object.entries(values)) input(form, name).value = text;
}

// ---- Password rules, from the deployed policy, shown before they are broken ----

let policy: PasswordPolicy | undefined;

function rules(p: PasswordPolicy): [string, (password: string) => boolean][] {
  const list: [string, (password: string) => boolean][] = [
    [`At least ${p.minLength} characters`, (s) => [...s].length >= p.minLength],
  ];
  if (p.requireLowercase) list.push(['A lower-case letter', (s) => /[a-z]/.test(s)]);
  if (p.requireUppercase) list.push(['An upper-case letter', (s) => /[A-Z]/.test(s)]);
  if (p.requireDigits) list.push(['A digit', (s) => /\d/.test(s)]);
  if (p.requireSymbols) list.push(['A symbol, such as ! or -', (s) => /[^A-Za-z0-9\s]/.test(s)]);
  return list;
}

function updateRules() {
  if (!policy) return;
  for (const list of document.querySelectorAll<HTMLUListElement>('[data-rules-for]')) {
    const password = ($(`#${list.dataset.rulesFor}`) as HTMLInputElement).value;
    const items = rules(policy).map(([text, met]) => {
      const item = document.createElement('li');
      item.textContent = text;
      if (password && met(password)) item.className = 'met';
      return item;
    });
    // A reset or a change cannot reuse one of the last passwords; a new account has none yet.
    if (policy.passwordHistorySize > 0 && list.id !== 'sign-up-rules') {
      const item = document.createElement('li');
      item.textContent =
        policy.passwordHistorySize === 1
          ? 'Not your current password'
          : `Not one of your last ${policy.passwordHistorySize} passwords`;
      items.push(item);
    }
    list.replaceChildren(...items);
  }
}

for (const list of document.querySelectorAll<HTMLUListElement>('[data-rules-for]')) {
  $(`#${list.dataset.rulesFor}`).addEventListener('input', updateRules);
}

// ---- Signed in ----

async function showAccount(): Promise<void> {
  const me: Me = await session.getMe();
  const list = $('#profile');
  const rows: [string, string][] = [
    ['Email', me.attributes.email ?? ''],
    ['Email verified', me.attributes.email_verified === 'true' ? 'yes' : 'no'],
    ['Name', me.attributes.name ?? '—'],
  ];
  list.replaceChildren(
    ...rows.flatMap(([term, text]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = text;
      return [dt, dd];
    }),
  );
  $('#admin-panel').hidden = !me.groups.includes(adminGroup);
  if (document.body.dataset.state !== 'account') show('account', '#account-title');
  if (pendingVerifyCode) {
    fill('#verify-form', { code: pendingVerifyCode });
    pendingVerifyCode = undefined;
    $('#verify-code').focus();
  }
}

session.onChange(({ type, state }) => {
  if (state.status === 'signedOut' && document.body.dataset.state === 'account') {
    show('sign-in');
    if (type === 'expired') say('Your session has ended. Sign in again.', 'error');
  }
});

// ---- Signed out ----

handle(
  '#sign-in-form',
  async (form) => {
    const username = value(form, 'username');
    try {
      const state = await session.signIn({ username, password: input(form, 'password').value });
      if (state.status === 'challenge') {
        show('challenge');
        return 'Choose your own password to finish signing in.';
      }
      await showAccount();
      return 'You are signed in.';
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'PasswordResetRequired') {
        later(() => {
          fill('#reset-form', { username });
          show('reset', '#reset-code');
        });
      }
      if (error instanceof ProblemError && error.code === 'UserNotConfirmed') {
        later(() => {
          fill('#confirm-form', { username });
          show('confirm', '#confirm-code');
        });
      }
      throw error;
    }
  },
  'sign-in',
);

handle(
  '#challenge-form',
  async (form) => {
    await session.completeNewPassword(input(form, 'newPassword').value);
    await showAccount();
    return 'Your password is set. You are signed in.';
  },
  'password',
);

handle(
  '#sign-up-form',
  async (form) => {
    const username = value(form, 'username');
    const name = value(form, 'name');
    const answer = await session.signUp({
      username,
      password: input(form, 'password').value,
      ...(name ? { attributes: { name } } : {}),
      clientMetadata: { locale: navigator.language, redirectUri },
    });
    later(() => {
      fill('#confirm-form', { username });
      show('confirm', '#confirm-code');
    });
    return `Account created. We sent a code to ${answer.codeDelivery?.destination ?? 'your email'}.`;
  },
  'password',
);

handle(
  '#confirm-form',
  async (form) => {
    const username = value(form, 'username');
    await session.confirmSignUp({ username, code: value(form, 'code') });
    later(() => {
      fill('#sign-in-form', { username });
      show('sign-in', '#sign-in-password');
    });
    return 'Your account is confirmed. You can sign in.';
  },
  'code',
);

$('#resend-button').addEventListener('click', () => {
  const form = $<HTMLFormElement>('#confirm-form');
  const username = value(form, 'username');
  void run(
    form,
    async () => {
      const answer = await session.resendSignUpCode({
        username,
        clientMetadata: { locale: navigator.language, redirectUri },
      });
      later(() => fill('#confirm-form', { username }));
      return `We sent a new code to ${answer.codeDelivery.destination}.`;
    },
    'code',
  );
});

handle(
  '#forgot-form',
  async (form) => {
    const username = value(form, 'username');
    const answer = await session.forgotPassword({
      username,
      clientMetadata: { locale: navigator.language, redirectUri },
    });
    later(() => {
      fill('#reset-form', { username });
      show('reset', '#reset-code');
    });
    return `If the account exists, we sent a code to ${answer.codeDelivery.destination}.`;
  },
  'code',
);

handle(
  '#reset-form',
  async (form) => {
    const username = value(form, 'username');
    await session.resetPassword({ username, code: value(form, 'code'), password: input(form, 'password').value });
    later(() => {
      fill('#sign-in-form', { username });
      show('sign-in', '#sign-in-password');
    });
    return 'Your password is changed. Sign in with the new password.';
  },
  'code',
);

// ---- Signed in: forms ----

$('#sign-out-button').addEventListener('click', () => {
  void (async () => {
    clearMessage();
    await session.signOut();
    show('sign-in');
    say('You are signed out on every device.');
  })();
});

handle('#attributes-form', async (form) => {
  await session.updateAttributes({ attributes: { name: value(form, 'name') } });
  await showAccount();
  return 'Your name is saved.';
});

handle('#email-form', async (form) => {
  const answer = await session.updateAttributes({
    attributes: { email: value(form, 'email') },
    currentPassword: input(form, 'currentPassword').value,
    clientMetadata: { locale: navigator.language, redirectUri },
  });
  await showAccount();
  $('#verify-code').focus();
  const to = answer.codeDeliveries[0]?.destination ?? 'your new email';
  return `We sent a code to ${to}. Your new email is used once you verify it; until then the old one stays.`;
});

handle(
  '#verify-form',
  async (form) => {
    await session.verifyAttribute({ attribute: 'email', code: value(form, 'code') });
    await showAccount();
    return 'Your new email is verified.';
  },
  'code',
);

$('#verification-code-button').addEventListener('click', () => {
  void run(
    $<HTMLFormElement>('#verify-form'),
    async () => {
      const answer = await session.sendVerificationCode({
        attribute: 'email',
        clientMetadata: { locale: navigator.language, redirectUri },
      });
      return `We sent a new code to ${answer.codeDelivery.destination}.`;
    },
    'code',
  );
});

handle(
  '#change-form',
  async (form) => {
    await session.changePassword({
      previousPassword: input(form, 'previousPassword').value,
      proposedPassword: input(form, 'proposedPassword').value,
    });
    return 'Your password is changed. Your other devices are signed out.';
  },
  'password',
);

handle(
  '#admin-form',
  async (form) => {
    const username = value(form, 'username');
    const answer = await session.adminResetPassword(username);
    return answer.action === 'invitationResent'
      ? `${username} had not signed in yet: the invitation was sent again.`
      : `${username} must now reset their password: we sent them a code.`;
  },
  'admin',
);

handle('#delete-form', async () => {
  await session.deleteAccount();
  later(() => show('sign-in'));
  return 'Your account is deleted.';
});

// ---- Emailed links: `#flow=...&code=...&username=...` ----

/**
 * A mailed link says what it is for in its fragment: read it, clear the address bar, and open the form of that
 * flow only (a sign-up code never lands in the reset form). True when a link was read.
 */
function readLink(): boolean {
  const params = new URLSearchParams(location.hash.slice(1));
  const flow = params.get('flow') as LinkFlow | null;
  const code = params.get('code');
  const username = params.get('username') ?? '';
  if (!flow || !code) return false;
  history.replaceState(null, '', location.pathname + location.search);
  clearMessage();
  switch (flow) {
    case 'reset':
      fill('#reset-form', { username, code });
      show('reset', '#reset-password');
      say('Choose a new password.');
      return true;
    case 'confirm':
      fill('#confirm-form', { username, code });
      show('confirm');
      $<HTMLButtonElement>('#confirm-form button[type="submit"]').focus();
      return true;
    case 'invite':
      // The code of an invitation is the temporary password.
      fill('#sign-in-form', { username, password: code });
      show('sign-in');
      $<HTMLButtonElement>('#sign-in-form button[type="submit"]').focus();
      say('Sign in with the temporary password from your invitation, then choose your own.');
      return true;
    case 'verify':
      pendingVerifyCode = code;
      if (session.state.status === 'signedIn') void showAccount();
      else {
        show('sign-in');
        say('Sign in, and your new email is verified with the code from the link.');
      }
      return true;
    default:
      // 'sign-in': a sign-in code belongs to the session that asked for it, not to a new page.
      return false;
  }
}

window.addEventListener('hashchange', () => void readLink());

async function start() {
  session
    .passwordPolicy()
    .then((p) => {
      policy = p;
      updateRules();
    })
    .catch(() => undefined);
  let state;
  try {
    state = await session.restore();
  } catch {
    state = { status: 'signedOut' as const };
  }
  const linked = readLink();
  if (state.status === 'signedIn') {
    if (!linked || pendingVerifyCode) await showAccount().catch(() => show('sign-in'));
  } else if (!linked) show('sign-in');
}

void start();
