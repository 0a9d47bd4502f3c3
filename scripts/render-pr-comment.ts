/**
 * Renders the pull-request comment of a real plan to a PNG (docs/images/pr-comment.png, shown in the
 * README): the emulator is started with a realistic live state, the built CLI plans an example
 * configuration against it (`plan --format markdown`, exactly as CI runs it), the Markdown becomes
 * HTML with a GFM renderer (marked) styled by GitHub's own Markdown CSS (github-markdown-css), with
 * GitHub's diff colouring, alerts and commit links imitated, and headless Chromium photographs it.
 *
 *   npm run build && npx tsx scripts/render-pr-comment.ts [--out FILE.png] [--html FILE.html]
 *
 * Needs Chromium and a colour emoji font (Debian: apt-get install -y chromium fonts-noto-color-emoji);
 * $CHROMIUM names another binary. The output is reproducible: a fixed commit and SOURCE_DATE_EPOCH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';
import { startEmulator } from '../src/emulator/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';
const PROD = 'abcdefghijklmnopqrst';
const STAGING = 'zyxwvutsrqponmlkjihg';
/** The commit and time the picture says it was planned at. */
const COMMIT = '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const SOURCE_DATE_EPOCH = String(Date.UTC(2026, 10, 30, 9, 41, 0) / 1000);
const WIDTH = 980;

const INVITE_LIVE = `<h2>You have been invited</h2>
<p>You have been invited to create a user on {{ .SiteURL }}.</p>
<p>Follow this link to accept the invite:</p>
<p><a href="{{ .ConfirmationURL }}">Accept the invite</a></p>
`;
const INVITE_WANTED = `<h2>You have been invited</h2>
<p>You have been invited to join your team on {{ .SiteURL }}.</p>
<p>Follow this link to accept the invite:</p>
<p><a href="{{ .ConfirmationURL }}">Join the team</a></p>
<p>The link expires in 24 hours.</p>
`;

/** What the projects look like today. */
const seed = {
  projects: [
    {
      ref: PROD,
      name: 'production',
      auth: {
        site_url: 'https://app.example.com',
        jwt_exp: 3600,
        password_min_length: 12,
        mailer_templates_invite_content: INVITE_LIVE,
        smtp_pass: 'an-old-smtp-password',
      },
      network_restrictions: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: [] },
      sso_providers: [{ id: '5f0c2b1e-7a4d-4c3b-9e2f-1a6d8c4b3e21', metadata_url: 'https://login.legacy-idp.example.net/saml/metadata', domains: ['legacy.example.com'] }],
      secrets: { OPENAI_API_KEY: 'sk-live-0000000000000000' },
    },
    { ref: STAGING, name: 'staging', auth: { site_url: 'https://staging.example.com' }, pooler: { default_pool_size: 15, pool_mode: 'transaction' } },
  ],
};

/** What a pull request asks for. */
const config: Record<string, string> = {
  'production/auth.yaml': `project: ${PROD}
auth:
  site_url: https://app.example.com
  jwt_exp: 7200
  password_min_length: 8            # lowered: the guardrail refuses it
  smtp_pass: \${SMTP_PASSWORD}
  mailer_templates_invite_content: |
${INVITE_WANTED.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}
`,
  'production/network.yaml': `project: ${PROD}
network_restrictions:
  dbAllowedCidrs: [203.0.113.0/24, 198.51.100.17/32]
`,
  'production/sso.yaml': `project: ${PROD}
sso:
  providers:
    - metadata_url: https://acme.okta.example.com/app/saml/metadata
      domains: [acme.com]
`,
  'production/secrets.yaml': `project: ${PROD}
secrets:
  values:
    STRIPE_WEBHOOK_SECRET: \${STRIPE_WEBHOOK_SECRET}
`,
  'staging.yaml': `project: ${STAGING}
auth:
  site_url: https://staging.example.com
  jwt_exp: 7200
pooler:
  mode: observe
  default_pool_size: 20
`,
};

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]!) : fallback;
}

/** GitHub's diff colouring: each line by its first character (prettylights classes, as github.com emits them). */
function colourDiff(html: string): string {
  return html.replace(/<code class="language-diff">([\s\S]*?)<\/code>/g, (_, body: string) => {
    const lines = body.replace(/\n$/, '').split('\n').map((line) => {
      const cls = line.startsWith('+') ? 'pl-mi1' : line.startsWith('-') ? 'pl-md' : line.startsWith('!') ? 'pl-mc' : line.startsWith('@@') ? 'pl-mdr' : line.startsWith('#') ? 'pl-c' : '';
      return cls ? `<span class="${cls}">${line}</span>` : line;
    });
    return `<code class="language-diff">${lines.join('\n')}\n</code>`;
  });
}

/** GitHub's alerts (`> [!CAUTION]`), as github.com renders them. */
function alerts(html: string): string {
  return html.replace(/<blockquote>\s*<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/g, (_, kind: string) => {
    const title = kind[0] + kind.slice(1).toLowerCase();
    return `<blockquote class="markdown-alert markdown-alert-${kind.toLowerCase()}"><p class="markdown-alert-title">${title}</p><p>`;
  });
}

/** GitHub links a bare commit SHA, showing its first seven digits. */
const commitLinks = (html: string): string => html.replace(/\b([0-9a-f]{40})\b/g, (sha: string) => `<a href="#"><code class="commit-tease-sha">${sha.slice(0, 7)}</code></a>`);

function page(body: string): string {
  const css = readFileSync(join(ROOT, 'node_modules/github-markdown-css/github-markdown-light.css'), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
html, body { margin: 0; background: #fff; }
body { padding: 16px; width: ${WIDTH - 32}px; font-family: -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { display: flex; align-items: center; gap: 8px; padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; color: #59636e; font-size: 14px; }
.comment-header b { color: #1f2328; }
.avatar { width: 20px; height: 20px; border-radius: 4px; background: #2da44e; display: inline-block; }
.bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; }
.markdown-body { padding: 16px; font-size: 14px; }
.markdown-body pre { font-size: 12px; line-height: 1.45; }
.markdown-body code, .markdown-body pre { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", "Liberation Mono", monospace, "Noto Color Emoji"; }
.markdown-body summary { cursor: pointer; }
.markdown-body .markdown-alert-title { font-weight: 600; }
</style></head><body><div class="comment"><div class="comment-header"><span class="avatar"></span><b>github-actions</b><span class="bot">bot</span> commented now</div>
<div class="markdown-body">${body}</div></div>
<script>document.title = String(Math.ceil(document.body.getBoundingClientRect().height) + 32);</script></body></html>`;
}

function chromium(args: string[]): string {
  const bin = process.env.CHROMIUM ?? 'chromium';
  const profile = mkdtempSync(join(tmpdir(), 'supasync-chromium-'));
  try {
    const run = spawnSync(
      bin,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (run.error) throw new Error(`${bin}: ${run.error.message} (Debian: apt-get install -y chromium fonts-noto-color-emoji)`);
    if (run.status !== 0) throw new Error(`${bin} exited ${run.status}: ${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

async function main(): Promise<void> {
  const out = option('--out', join(ROOT, 'docs/images/pr-comment.png'));
  const emulator = await startEmulator({ port: 0, seed });
  const dir = mkdtempSync(join(tmpdir(), 'supasync-pr-comment-'));
  try {
    for (const [file, text] of Object.entries(config)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    // Not spawnSync: the emulator runs in this process and must keep answering.
    const plan = await run(process.execPath, [CLI, 'plan', '-c', dir, '--format', 'markdown', '--commit', COMMIT], {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      SOURCE_DATE_EPOCH,
      SUPABASE_API_URL: emulator.url,
      SUPABASE_ACCESS_TOKEN: TOKEN,
      SMTP_PASSWORD: 'a-new-smtp-password',
      STRIPE_WEBHOOK_SECRET: 'whsec_0000000000000000',
    });
    if (plan.status !== 0) throw new Error(`plan exited ${plan.status}: ${plan.stderr}`);
    const markdown = plan.stdout;
    const html = page(commitLinks(alerts(colourDiff(new Marked({ gfm: true }).parse(markdown, { async: false })))));
    const htmlFile = option('--html', join(dir, 'comment.html'));
    writeFileSync(htmlFile, html);
    const dom = chromium(['--dump-dom', `file://${htmlFile}`]);
    const height = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1] ?? 2000);
    mkdirSync(dirname(out), { recursive: true });
    chromium([`--window-size=${WIDTH},${height}`, '--force-device-scale-factor=1.5', `--screenshot=${out}`, `file://${htmlFile}`]);
    console.log(`wrote ${out} (${WIDTH}×${height} CSS px) from a plan of ${markdown.length} characters`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}

await main();
