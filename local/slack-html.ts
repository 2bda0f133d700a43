import { decodeEntities, emoji, type ViewPart, viewMessage } from './slack-view.js';

/** A received webhook post, as the sink keeps it. */
export interface ReceivedMessage {
  receivedAt: string;
  path: string;
  payload: unknown;
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
 * characters they stand for, and everything from the payload is HTML-escaped.
 */
export function mrkdwnToHtml(text: string): string {
  return text
    .split(/(<[^<>\n]*>)/)
    .map((part, i) => (i % 2 === 1 ? linkHtml(part.slice(1, -1)) : inlineHtml(part)))
    .join('');
}

function linkHtml(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (/^[@#!]/.test(target))
    return `<span class="mention">${escapeHtml(decodeEntities(label ?? target))}</span>`;
  const url = decodeEntities(target);
  if (!/^(https?:|mailto:)/i.test(url)) return inlineHtml(label ?? target);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${inlineHtml(label ?? target)}</a>`;
}

function inlineHtml(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((seg, i) =>
      i % 2 === 1
        ? `<code>${escapeHtml(decodeEntities(seg.slice(1, -1)))}</code>`
        : emphasis(escapeHtml(decodeEntities(seg))),
    )
    .join('');
}

function emphasis(html: string): string {
  return emoji(html)
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/~([^~\n]+)~/g, '<s>$1</s>')
    .replace(/\n/g, '<br>');
}

function partHtml(part: ViewPart): string {
  switch (part.kind) {
    case 'header':
      return `<div class="header">${escapeHtml(emoji(decodeEntities(part.text)))}</div>`;
    case 'text':
      return `<div class="text">${mrkdwnToHtml(part.mrkdwn)}</div>`;
    case 'fields':
      return `<div class="fields">${part.items.map((f) => `<div>${mrkdwnToHtml(f)}</div>`).join('')}</div>`;
    case 'context':
      return `<div class="context">${part.items.map((c) => `<span>${mrkdwnToHtml(c)}</span>`).join('')}</div>`;
    case 'divider':
      return '<hr>';
  }
}

const STYLE = `body{font:15px/1.46 -apple-system,'Segoe UI',Lato,sans-serif;background:#f8f8f8;margin:0;color:#1d1c1d}
main{max-width:760px;margin:0 auto;padding:16px}h1{font-size:18px}.msg{background:#fff;border-radius:6px;padding:8px 12px;margin:10px 0;box-shadow:0 1px 2px #0002}
.meta{color:#616061;font-size:12px}.fallback{margin:4px 0}.att{display:flex;margin-top:4px}.bar{width:4px;border-radius:4px;flex:none;background:#ddd}
.body{padding:0 12px;min-width:0}.header{font-weight:900;font-size:18px;margin:4px 0}.text{margin:6px 0;white-space:normal}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin:6px 0}.context{color:#616061;font-size:12px;margin:6px 0}.context span{margin-right:8px}
code{font:12px Monaco,Menlo,monospace;color:#e01e5a;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
a{color:#1264a3;text-decoration:none}.mention{background:#e8f5fa;color:#1264a3}.empty{color:#616061}`;

/** The page the sink shows at `/`: each message the way Slack would, newest first. */
export function renderMessagesHtml(messages: readonly ReceivedMessage[]): string {
  const items = [...messages].reverse().map((m) => {
    const view = viewMessage(m.payload);
    const text = (m.payload as { text?: unknown } | null)?.text;
    const fallback =
      typeof text === 'string' && view.parts.length > 0
        ? `<div class="fallback">${mrkdwnToHtml(text)}</div>`
        : '';
    return `<article class="msg"><div class="meta">ecs-task-notifier · ${escapeHtml(m.receivedAt)} · ${escapeHtml(m.path)}</div>${fallback}
<div class="att"><div class="bar" style="background:${escapeHtml(view.color ?? '#dddddd')}"></div><div class="body">${view.parts.map(partHtml).join('\n')}</div></div></article>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Slack sink (${messages.length})</title><style>${STYLE}</style></head>
<body><main><h1># local-slack-sink</h1>${items.join('\n') || '<p class="empty">No messages yet.</p>'}</main></body></html>`;
}
