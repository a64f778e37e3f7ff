import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/dist.js';

/** The pages a reader follows links between: the README, the docs and the packages' READMEs. */
function pages(): string[] {
  const out = [join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  for (const pkg of readdirSync(join(ROOT, 'packages')).sort()) {
    const readme = join(ROOT, 'packages', pkg, 'README.md');
    if (existsSync(readme)) out.push(readme);
  }
  return out;
}

/** The page without its fenced code blocks, where `# x` is no heading. */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The page's text outside code blocks and inline code, where `[x](y)` is no link. */
function prose(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, '');
}

/** Inline links and images, and reference definitions (`[x]: target`). */
function linkTargets(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const defined = [...body.matchAll(/^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)];
  return [...inline, ...defined].map((m) => m[1]);
}

/** GitHub's anchor for each heading: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with one relative link of `page`, or undefined when it resolves. */
function brokenReason(page: string, target: string): string | undefined {
  const hash = target.indexOf('#');
  const file = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? '' : decodeURIComponent(target.slice(hash + 1));
  const path = file === '' ? page : resolve(dirname(page), file);
  if (!path.startsWith(ROOT)) return 'points outside the repository';
  if (!existsSync(path)) return 'no such file';
  if (anchor === '' || !path.endsWith('.md')) return undefined;
  return anchorsOf(readFileSync(path, 'utf8')).has(anchor.toLowerCase())
    ? undefined
    : `no heading for #${anchor}`;
}

// A moved or renamed page leaves links that render fine and lead nowhere; only a check finds them.
describe('documentation links', () => {
  it('every relative link of README.md, docs/ and the package READMEs names an existing file and heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages()) {
      for (const target of linkTargets(readFileSync(page, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        checked += 1;
        const reason = brokenReason(page, target);
        if (reason !== undefined) broken.push(`${relative(ROOT, page)}: (${target}) ${reason}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('the checker sees links, ignores code, and derives anchors as GitHub does', () => {
    const text = [
      '# Module options',
      '## `LcExtensionModule`',
      '## Idempotency by `mid`',
      '## Idempotency by `mid`',
      'See [a](x.md#y) and ![img](i.png "title").',
      '`[not](code.md)`',
      '```ts',
      'const a = [b](c);',
      '```',
      '[ref]: other.md',
    ].join('\n');
    expect(linkTargets(text)).toEqual(['x.md#y', 'i.png', 'other.md']);
    expect([...anchorsOf(text)]).toEqual([
      'module-options',
      'lcextensionmodule',
      'idempotency-by-mid',
      'idempotency-by-mid-1',
    ]);
  });
});
