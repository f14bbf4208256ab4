/** The local page: every flow by hand, built on the typed client (client/). */
import { type LinkFlow, ProblemError, type Tokens, createClient } from '../../client';

interface Session {
  tokens: Tokens;
  /** Cognito's username (the sub). */
  username?: string;
}

let session: Session | undefined;
let challenge: { username: string; session: string } | undefined;

const api = createClient({ baseUrl: location.origin, accessToken: () => session?.tokens.accessToken });
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const field = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
const redirectUri = `${location.origin}/`;

/** Wires a form: buttons disabled in flight, the problem's detail next to the form on failure. */
function handle(formId: string, action: (form: HTMLFormElement) => Promise<string | undefined>) {
  const form = $<HTMLFormElement>(formId);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await run(form, () => action(form));
  });
  return form;
}

async function run(form: HTMLFormElement, action: () => Promise<string | undefined>) {
  const buttons = [...form.querySelectorAll('button')];
  const error = form.querySelector('.error') as HTMLElement;
  const status = form.querySelector('.status') as HTMLElement;
  error.textContent = '';
  status.textContent = '';
  for (const b of buttons) b.disabled = true;
  try {
    status.textContent = (await action()) ?? '';
  } catch (failure) {
    error.textContent =
      failure instanceof ProblemError ? failure.detail : 'The request could not be sent. Is the local stack running?';
    if (failure instanceof ProblemError && failure.errors.length > 0) {
      error.textContent += ` (${failure.errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; ')})`;
    }
  } finally {
    for (const b of buttons) b.disabled = false;
    void refreshOutbox();
  }
}

async function signedIn(tokens: Tokens) {
  session = { tokens };
  await showProfile();
}

async function showProfile() {
  const signedInNow = Boolean(session);
  $('#profile-section').hidden = !signedInNow;
  for (const section of document.querySelectorAll<HTMLElement>('.signed-in')) section.hidden = !signedInNow;
  if (!session) {
    $('#session-state').textContent = 'Not signed in';
    return;
  }
  const me = await api.getMe();
  session.username = me.username;
  $('#session-state').textContent = `Signed in as ${me.attributes.email ?? me.username}`;
  const list = $('#profile');
  list.replaceChildren();
  for (const [name, value] of Object.entries(me.attributes)) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
}

function signedOut() {
  session = undefined;
  void showProfile();
}

function openReset(username: string, code = '') {
  const form = $<HTMLFormElement>('#reset-form');
  (form.elements.namedItem('username') as HTMLInputElement).value = username;
  (form.elements.namedItem('code') as HTMLInputElement).value = code;
  $('#reset-section').scrollIntoView({ block: 'center' });
  (form.elements.namedItem(code ? 'password' : 'code') as HTMLInputElement).focus();
}

handle('#sign-up-form', async (form) => {
  const username = field(form, 'username');
  const name = field(form, 'name');
  const answer = await api.signUp({
    username,
    password: field(form, 'password'),
    ...(name ? { attributes: { name } } : {}),
    clientMetadata: { locale: navigator.language, redirectUri },
  });
  (document.querySelector('#confirm-email') as HTMLInputElement).value = username;
  return `Account created. A code was sent to ${answer.codeDelivery?.destination ?? 'your email'}.`;
});

handle('#confirm-form', async (form) => {
  await api.confirmSignUp({ username: field(form, 'username'), code: field(form, 'code') });
  ($('#sign-in-email') as HTMLInputElement).value = field(form, 'username');
  return 'Account confirmed. You can sign in.';
});

$('#resend-button').addEventListener('click', () => {
  const form = $<HTMLFormElement>('#confirm-form');
  void run(form, async () => {
    const answer = await api.resendSignUpCode({
      username: field(form, 'username'),
      clientMetadata: { locale: navigator.language },
    });
    return `A new code was sent to ${answer.codeDelivery.destination}.`;
  });
});

handle('#sign-in-form', async (form) => {
  const username = field(form, 'username');
  try {
    const answer = await api.signIn({ username, password: field(form, 'password') });
    if ('challenge' in answer) {
      // The challenge names the real username (not the email typed): Cognito refuses an alias in the answer.
      challenge = { username: answer.challenge.username, session: answer.challenge.session };
      $('#new-password-section').hidden = false;
      ($('#new-password-value') as HTMLInputElement).focus();
      return 'Choose a new password to finish signing in.';
    }
    await signedIn(answer);
    return 'Signed in.';
  } catch (failure) {
    if (failure instanceof ProblemError && failure.code === 'PasswordResetRequired') {
      openReset(username);
      throw new ProblemError({
        ...failure,
        detail: 'Your password must be reset. Use the code we emailed you in the reset form.',
      });
    }
    throw failure;
  }
});

handle('#new-password-form', async (form) => {
  if (!challenge) throw new ProblemError({ status: 400, detail: 'Sign in first.' });
  const tokens = await api.newPassword({ ...challenge, newPassword: field(form, 'newPassword') });
  challenge = undefined;
  $('#new-password-section').hidden = true;
  await signedIn(tokens);
  return 'Password set. Signed in.';
});

handle('#forgot-form', async (form) => {
  const username = field(form, 'username');
  const answer = await api.forgotPassword({ username, clientMetadata: { locale: navigator.language, redirectUri } });
  openReset(username);
  return `If the account exists, a code was sent to ${answer.codeDelivery.destination}.`;
});

handle('#reset-form', async (form) => {
  await api.resetPassword({
    username: field(form, 'username'),
    code: field(form, 'code'),
    password: field(form, 'password'),
  });
  ($('#sign-in-email') as HTMLInputElement).value = field(form, 'username');
  return 'Password changed. Sign in with the new password.';
});

handle('#sign-out-form', async () => {
  await api.signOut();
  signedOut();
  return 'Signed out everywhere.';
});

handle('#change-form', async (form) => {
  // Every session ends with the change; the answer is this tab's new session.
  const tokens = await api.changePassword({
    previousPassword: field(form, 'previousPassword'),
    proposedPassword: field(form, 'proposedPassword'),
  });
  await signedIn(tokens);
  form.reset();
  return 'Password changed.';
});

handle('#attributes-form', async (form) => {
  const attributes: Record<string, string> = {};
  if (field(form, 'name')) attributes.name = field(form, 'name');
  if (field(form, 'email')) attributes.email = field(form, 'email');
  const currentPassword = field(form, 'currentPassword');
  const answer = await api.updateAttributes({
    attributes,
    ...(currentPassword ? { currentPassword } : {}),
    clientMetadata: { locale: navigator.language },
  });
  await showProfile();
  return answer.codeDeliveries.length > 0
    ? `Saved. Your new email is used once verified: a code was sent to ${answer.codeDeliveries[0]?.destination}.`
    : 'Saved.';
});

handle('#verify-form', async (form) => {
  await api.verifyAttribute({ attribute: 'email', code: field(form, 'code') });
  await showProfile();
  return 'Email verified.';
});

$('#verification-code-button').addEventListener('click', () => {
  const form = $<HTMLFormElement>('#verify-form');
  void run(form, async () => {
    const answer = await api.sendVerificationCode({ attribute: 'email' });
    return `A new code was sent to ${answer.codeDelivery.destination}.`;
  });
});

handle('#delete-form', async () => {
  await api.deleteMe();
  signedOut();
  return 'Account deleted.';
});

handle('#admin-form', async (form) => {
  await api.adminResetPassword(field(form, 'username'));
  return 'Done: the user must reset their password and was sent a code.';
});

async function refreshOutbox() {
  const messages = (await (await fetch('/_local/outbox')).json()) as {
    id: string;
    to: string;
    subject: string;
    body: string;
    triggerSource: string;
    createdAt: string;
  }[];
  const box = $('#outbox');
  box.replaceChildren(
    ...messages
      .slice(-20)
      .reverse()
      .map((m) => {
        const item = document.createElement('article');
        item.className = 'message';
        item.dataset.to = m.to;
        const heading = document.createElement('p');
        heading.innerHTML = '<strong></strong>';
        (heading.firstChild as HTMLElement).textContent = m.subject;
        const meta = document.createElement('p');
        const source = m.triggerSource.replace('CustomMessage_', '');
        meta.textContent = `to ${m.to}, ${source}, ${new Date(m.createdAt).toLocaleTimeString()}`;
        const frame = document.createElement('iframe');
        frame.title = `Email: ${m.subject}`;
        // No scripts; a link may open the page in this tab when clicked.
        frame.setAttribute('sandbox', 'allow-top-navigation-by-user-activation allow-popups');
        frame.srcdoc = m.body;
        item.append(heading, meta, frame);
        return item;
      }),
  );
}

$('#outbox-refresh').addEventListener('click', () => void refreshOutbox());

/** Fills a form's fields by name, then focuses its submit button. */
function fill(formId: string, values: Record<string, string>) {
  const form = $<HTMLFormElement>(formId);
  for (const [name, value] of Object.entries(values)) (form.elements.namedItem(name) as HTMLInputElement).value = value;
  form.scrollIntoView({ block: 'center' });
  form.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
}

/**
 * A mailed link says what it is for in its fragment (`#flow=reset&code=...&username=...`): read it,
 * clear the address bar, and open the form for that flow only. A link without a known flow opens
 * nothing, so a sign-up code never lands in the reset form.
 */
function readLink() {
  const params = new URLSearchParams(location.hash.slice(1));
  const flow = params.get('flow') as LinkFlow | null;
  const code = params.get('code');
  const username = params.get('username') ?? '';
  if (!flow || !code) return;
  history.replaceState(null, '', location.pathname + location.search);
  switch (flow) {
    case 'reset':
      if (username) openReset(username, code);
      break;
    case 'confirm':
      fill('#confirm-form', { username, code });
      break;
    case 'invite':
      // The code of an invitation is the temporary password.
      fill('#sign-in-form', { username, password: code });
      break;
    case 'verify':
      fill('#verify-form', { code });
      if (!session) {
        $('#sign-in-form .status').textContent = 'Sign in, then verify your email with the code from the link.';
      }
      break;
    default:
      // 'sign-in': a sign-in code belongs to the session that asked for it, not to a new page.
      break;
  }
}

readLink();
// The link may also be opened while the page is already showing.
window.addEventListener('hashchange', readLink);
void refreshOutbox();
void showProfile();
