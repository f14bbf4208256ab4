/**
 * The local outbox (a developer panel, /_local/outbox.html): each message as the recipient sees it, in a
 * sandboxed frame without scripts. A link in a message opens the page in the top window (`<base target="_top">`):
 * followed inside the frame, the page would be framed, and it refuses that (X-Frame-Options: DENY).
 */
interface Message {
  id: string;
  to: string;
  subject: string;
  body: string;
  triggerSource: string;
  createdAt: string;
}

async function refresh() {
  const messages = (await (await fetch('/_local/outbox')).json()) as Message[];
  const box = document.querySelector('#outbox') as HTMLElement;
  box.replaceChildren(
    ...messages
      .slice(-30)
      .reverse()
      .map((m) => {
        const item = document.createElement('article');
        item.dataset.to = m.to;
        const heading = document.createElement('h2');
        heading.textContent = m.subject;
        heading.style.fontSize = '16px';
        const meta = document.createElement('p');
        meta.textContent = `to ${m.to}, ${m.triggerSource.replace('CustomMessage_', '')}, ${new Date(
          m.createdAt,
        ).toLocaleTimeString()}`;
        const frame = document.createElement('iframe');
        frame.title = `Email: ${m.subject}`;
        frame.setAttribute('sandbox', 'allow-top-navigation-by-user-activation allow-popups');
        frame.srcdoc = `<base target="_top">${m.body}`;
        item.append(heading, meta, frame);
        return item;
      }),
  );
}

document.querySelector('#outbox-refresh')?.addEventListener('click', () => void refresh());
void refresh();
