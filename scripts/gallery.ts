// `npm run gallery`: posts each kind of message to the local Slack sink, opens its page in headless
// Chromium (Debian's `chromium`) and saves each message as a PNG under docs/gallery/, for the
// README and docs/messages.md. A developer command, not a test: exits 1 when Chromium is missing.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createSlackApiClient } from '../lambda/adapters/slack-api.js';
import { postAppGallery } from '../local/app-gallery.js';
import { galleryMessages } from '../local/message-gallery.js';
import { startSlackSink } from '../local/slack-sink.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'docs/gallery');
const CANDIDATES = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

const INSTALL = `Chromium is needed to render the gallery, and was not found.
Install Debian's (as root):  apt-get install -y chromium fonts-noto-color-emoji
or point CHROMIUM at a Chromium or Chrome binary.`;

async function main(): Promise<void> {
  const executablePath = CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));
  if (!executablePath) {
    process.stderr.write(`${INSTALL}\n`);
    process.exit(1);
  }
  const messages = galleryMessages();
  const sink = await startSlackSink({ host: '127.0.0.1', port: 0 });
  const profile = mkdtempSync(path.join(tmpdir(), 'gallery-chromium-'));
  try {
    for (const m of messages) {
      const res = await fetch(`${sink.url}${m.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(m.payload),
      });
      if (!res.ok) throw new Error(`the sink refused ${m.name}: ${res.status} ${await res.text()}`);
    }
    const api = createSlackApiClient('xoxb-0000-0000-gallery', {
      apiUrl: sink.apiUrl,
      ratePerSecond: 100,
      methodRatePerSecond: 100,
    });
    const shots = [...messages, ...(await postAppGallery(api))];
    // Without these flags Chromium reaches for the network, and its connections fail here.
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 860, height: 2400 },
      deviceScaleFactor: 1,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(`${sink.url}/`, { waitUntil: 'load' });
      // Threads show their replies open, as a reader who clicked "3 replies" sees them.
      const threads = page.locator('details.thread');
      for (let i = 0; i < (await threads.count()); i++)
        await threads.nth(i).evaluate((d) => d.setAttribute('open', ''));
      mkdirSync(OUT, { recursive: true });
      const articles = page.locator('article.msg');
      for (const [i, m] of shots.entries()) {
        const file = path.join(OUT, `${m.name}.png`);
        await articles.nth(i).screenshot({ path: file });
        process.stdout.write(`${path.relative(ROOT, file)}  ${m.title}\n`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await sink.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gallery: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
