import {
  decodeEntities,
  emoji,
  mentionName,
  type RichItem,
  type RichRun,
  type ViewPart,
  type ViewText,
  viewMessage,
} from './slack-view.js';

/** A received webhook post or Web API message, as the sink keeps it (its latest content). */
export interface ReceivedMessage {
  receivedAt: string;
  path: string;
  payload: unknown;
  /** Web API only: the channel ID and the message's ts. */
  channel?: string;
  ts?: string;
  /** A thread reply: its parent's ts. */
  threadTs?: string;
  /** When `chat.update` last changed it, and how many times it did. */
  editedAt?: string;
  edits?: number;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Slack mrkdwn to HTML: `<url|label>` links (http, https and mailto only) become anchors,
 * `*bold*`, `_italic_`, `~strike~` and `` `code` `` are formatted, Slack's entities show as the
 * characters they stand for, and everything from the payload is HTML-escaped. Unless `verbatim`,
 * bare URLs become links too, as Slack makes them.
 */
export function mrkdwnToHtml(text: string, options: { verbatim?: boolean } = {}): string {
  return text
    .split(/(<[^<>\n]*>)/)
    .map((part, i) =>
      i % 2 === 1 ? linkHtml(part.slice(1, -1)) : inlineHtml(part, options.verbatim ?? false),
    )
    .join('');
}

function linkHtml(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (/^[@#!]/.test(target))
    return `<span class="mention">${escapeHtml(decodeEntities(label ?? mentionName(target) ?? target))}</span>`;
  const url = decodeEntities(target);
  if (!/^(https?:|mailto:)/i.test(url)) return inlineHtml(label ?? target, true);
  return anchor(url, inlineHtml(label ?? target, true));
}

function anchor(url: string, html: string): string {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${html}</a>`;
}

function inlineHtml(text: string, verbatim: boolean): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((seg, i) =>
      i % 2 === 1
        ? `<code>${escapeHtml(decodeEntities(seg.slice(1, -1)))}</code>`
        : emphasis(verbatim ? escapeHtml(decodeEntities(seg)) : autolink(decodeEntities(seg))),
    )
    .join('');
}

/** Slack links bare URLs in mrkdwn that is not `verbatim`. */
function autolink(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>]+)/)
    .map((seg, i) => (i % 2 === 1 ? anchor(seg, escapeHtml(seg)) : escapeHtml(seg)))
    .join('');
}

function emphasis(html: string): string {
  return emoji(html)
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/~([^~\n]+)~/g, '<s>$1</s>')
    .replace(/\n/g, '<br>');
}

/** A text object: mrkdwn formatted, plain text shown as written (entities decoded, HTML-escaped). */
export function textHtml(text: ViewText): string {
  if (text.type === 'mrkdwn') return mrkdwnToHtml(text.text, { verbatim: text.verbatim ?? false });
  const decoded = decodeEntities(text.text);
  return escapeHtml(text.emoji === false ? decoded : emoji(decoded)).replace(/\n/g, '<br>');
}

function runHtml(run: RichRun): string {
  let html = escapeHtml(run.text).replace(/\n/g, '<br>');
  if (run.style.code) html = `<code>${html}</code>`;
  if (run.style.bold) html = `<b>${html}</b>`;
  if (run.style.italic) html = `<i>${html}</i>`;
  if (run.style.strike) html = `<s>${html}</s>`;
  return run.url && /^(https?:|mailto:)/i.test(run.url) ? anchor(run.url, html) : html;
}

function richHtml(item: RichItem): string {
  switch (item.kind) {
    case 'section':
      return `<div>${item.runs.map(runHtml).join('')}</div>`;
    case 'preformatted':
      return `<pre>${item.runs.map((r) => escapeHtml(r.text)).join('')}</pre>`;
    case 'quote':
      return `<blockquote>${item.runs.map(runHtml).join('')}</blockquote>`;
    case 'list': {
      const tag = item.ordered ? 'ol' : 'ul';
      return `<${tag}>${item.items.map((runs) => `<li>${runs.map(runHtml).join('')}</li>`).join('')}</${tag}>`;
    }
  }
}

function partHtml(part: ViewPart): string {
  switch (part.kind) {
    case 'header':
      return `<div class="header">${textHtml(part.text)}</div>`;
    case 'text':
      return `<div class="text">${textHtml(part.text)}</div>`;
    case 'fields':
      return `<div class="fields">${part.items.map((f) => `<div>${textHtml(f)}</div>`).join('')}</div>`;
    case 'context':
      return `<div class="context">${part.items.map((c) => `<span>${textHtml(c)}</span>`).join('')}</div>`;
    case 'rich':
      return `<div class="rich">${part.items.map(richHtml).join('')}</div>`;
    case 'divider':
      return '<hr>';
  }
}

const STYLE = `body{font:15px/1.46 -apple-system,'Segoe UI',Lato,'Noto Sans',sans-serif;background:#fff;margin:0;color:#1d1c1d}
.channel{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:10px 20px;font-weight:900;font-size:18px;z-index:1}
.scroll{display:flex;flex-direction:column-reverse;height:calc(100vh - 50px);overflow-y:auto}
main{width:100%;max-width:820px;padding:8px 0 16px}.msg{padding:8px 20px;margin:0}.msg:hover{background:#f8f8f8}
.meta{font-size:13px;color:#616061;margin-bottom:2px}.app{font-weight:900;color:#1d1c1d;font-size:15px}
.badge{background:#e8e8e8;color:#616061;font-size:10px;font-weight:700;border-radius:3px;padding:1px 3px;margin:0 4px}
.att{display:flex;margin-top:4px}.bar{width:4px;border-radius:4px;flex:none;background:#ddd}
.body{padding:0 12px;min-width:0}.header{font-weight:900;font-size:18px;line-height:1.33;margin:4px 0;overflow-wrap:anywhere}.text{margin:6px 0;white-space:normal;overflow-wrap:anywhere}
.fields{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:2px 16px;margin:6px 0;overflow-wrap:anywhere}.context{color:#616061;font-size:12px;margin:6px 0}.context span{margin-right:6px}
code{font:12px Monaco,Menlo,'DejaVu Sans Mono',monospace;color:#e01e5a;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
pre{font:12px Monaco,Menlo,'DejaVu Sans Mono',monospace;background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
blockquote{border-left:4px solid #ddd;margin:4px 0;padding-left:8px}.rich{margin:6px 0}
a{color:#1264a3;text-decoration:none}.mention{background:#1d9bd11a;color:#1264a3;border-radius:3px;padding:0 2px;font-weight:700}
.empty{color:#616061;padding:20px}.hook{color:#1264a3;font-weight:700}.edited{color:#616061;font-size:12px}
.layout{display:flex}nav{width:190px;flex:none;background:#3f0e40;color:#cfc3cf;height:calc(100vh - 50px);overflow-y:auto;padding:8px 0}
nav a{display:block;color:#cfc3cf;padding:3px 16px}nav a.on{background:#1164a3;color:#fff}.layout .scroll{flex:1}
details.thread{margin:4px 0 0;border-left:2px solid #ddd;padding-left:10px}details.thread summary{color:#1264a3;font-weight:700;font-size:13px;cursor:pointer}
.reply{padding:6px 0}`;

/**
 * A received message as Slack would show it: who sent it, when, where, then its blocks; "(edited)"
 * after a message `chat.update` changed, and its thread's replies under it ("2 replies").
 */
export function messageHtml(m: ReceivedMessage, replies: readonly ReceivedMessage[] = []): string {
  const thread =
    replies.length > 0
      ? `<details class="thread"><summary>${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</summary>${replies.map((r) => contentHtml(r, 'reply')).join('\n')}</details>`
      : '';
  return contentHtml(m, 'msg', thread);
}

function contentHtml(m: ReceivedMessage, kind: 'msg' | 'reply', thread = ''): string {
  const view = viewMessage(m.payload);
  // Slack shows the top-level text only when there are no top-level blocks.
  const top = view.text ? `<div class="text">${mrkdwnToHtml(view.text)}</div>` : '';
  const attachment =
    view.attachment.length > 0
      ? `<div class="att"><div class="bar" style="background:${escapeHtml(view.color ?? '#dddddd')}"></div><div class="body">${view.attachment.map(partHtml).join('\n')}</div></div>`
      : '';
  const time = /T(\d{2}:\d{2}:\d{2})/.exec(m.receivedAt)?.[1] ?? m.receivedAt;
  const edited = m.edits
    ? `<span class="edited" title="${escapeHtml(m.editedAt ?? '')}">(edited)</span>`
    : '';
  return `<article class="${kind}"><div class="meta"><span class="app">ecs-task-notifier</span><span class="badge">APP</span><time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(time)}</time> · to <span class="hook">${escapeHtml(channelName(m))}</span></div>${top}${view.blocks.map(partHtml).join('\n')}
${attachment}${edited}${thread}</article>`;
}

/**
 * The page the sink shows at `/`: each top-level message the way Slack would, oldest at the top
 * and the newest at the bottom, where the page opens, its thread's replies under it; the channels
 * on the side, `channel` (a name as the side shows it, without "#") showing that one alone.
 */
export function renderMessagesHtml(messages: readonly ReceivedMessage[], channel?: string): string {
  const threads = new Map<string, ReceivedMessage[]>();
  for (const m of messages) {
    if (!m.threadTs) continue;
    const key = `${m.channel} ${m.threadTs}`;
    threads.set(key, [...(threads.get(key) ?? []), m]);
  }
  const topLevel = messages.filter((m) => !m.threadTs);
  const channels = [...new Set(topLevel.map(channelName))];
  const shown = channel ? topLevel.filter((m) => channelName(m) === `#${channel}`) : topLevel;
  const items = shown.map((m) => messageHtml(m, m.ts ? (threads.get(`${m.channel} ${m.ts}`) ?? []) : []));
  const link = (name: string | undefined, label: string) =>
    `<a href="${name ? `?channel=${encodeURIComponent(name)}` : '/'}"${name === channel ? ' class="on"' : ''}>${escapeHtml(label)}</a>`;
  const nav = [link(undefined, 'All channels'), ...channels.map((c) => link(c.slice(1), c))].join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Slack sink (${messages.length})</title><style>${STYLE}</style></head>
<body><div class="channel">${escapeHtml(channel ? `# ${channel}` : '# local-slack-sink')}</div><div class="layout"><nav>${nav}</nav><div class="scroll"><main>${items.join('\n') || '<p class="empty">No messages yet.</p>'}</main></div></div></body></html>`;
}

/** Where a message went, named like a channel: its Web API channel (`#C0123`) or its hook's name. */
export function channelName(m: Pick<ReceivedMessage, 'channel' | 'path'>): string {
  return m.channel ? `#${m.channel}` : hookName(m.path);
}

/**
 * Which hook a message came to, named like a channel: `#alerts` for `/hook/alerts`, `#default`
 * for `/hook`, and `#webhook` for a Slack-shaped `/services/…` path (whose token is not shown).
 */
export function hookName(path: string): string {
  if (path === '/hook' || path === '/hook/') return '#default';
  const match = /^\/hook\/([^/]+)$/.exec(path);
  if (match) return `#${safeDecode(match[1] as string)}`;
  return path.startsWith('/services/') ? '#webhook' : '#other';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
