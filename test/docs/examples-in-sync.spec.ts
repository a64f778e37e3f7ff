import { readFile } from 'node:fs/promises';
import { ROOT } from '../helpers/dist.js';

/** The TypeScript code blocks of a documentation page. */
async function codeBlocks(page: string): Promise<string[]> {
  const text = await readFile(`${ROOT}/${page}`, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A file of this folder without its first line, which names the page it copies. */
async function example(file: string): Promise<string> {
  const text = await readFile(`${ROOT}/test/docs/${file}`, 'utf8');
  return text.slice(text.indexOf('\n') + 1);
}

// These files compile and run in this suite; the pages must show the same code, or a reader copies
// an example nothing checks.
describe('documentation examples', () => {
  it('docs/guides/testing.md shows test/docs/testing-example.spec.ts', async () => {
    expect(await codeBlocks('docs/guides/testing.md')).toContain(
      await example('testing-example.spec.ts'),
    );
  });

  it('docs/guides/handlers-and-parameters.md shows test/docs/detections.ts', async () => {
    const shown = (await codeBlocks('docs/guides/handlers-and-parameters.md')).map((block) =>
      block.replace('// detections.ts\n', '').replace("'e3b0c442…'", "'e3b0c442'"),
    );
    expect(shown).toContain(await example('detections.ts'));
  });

  it('docs/guides/extensions.md shows test/docs/extension.ts', async () => {
    expect(await codeBlocks('docs/guides/extensions.md')).toContain(await example('extension.ts'));
  });

  it('docs/reference/extension-schema.md shows excerpts of test/docs/extension.ts', async () => {
    const blocks = await codeBlocks('docs/reference/extension-schema.md');
    expect(blocks.length).toBeGreaterThan(0);
    const source = await example('extension.ts');
    for (const block of blocks) expect(source).toContain(block);
  });

  it('docs/getting-started.md shows the scaffold handler class, the testing guide its jest config', async () => {
    const template = (path: string) =>
      readFile(`${ROOT}/packages/create-lc-service/template/${path}`, 'utf8');
    expect(await codeBlocks('docs/getting-started.md')).toContain(
      await template('service/src/detections.ts'),
    );
    expect(await readFile(`${ROOT}/docs/guides/testing.md`, 'utf8')).toContain(
      `\`\`\`js\n// jest.config.js\n${await template('common/jest.config.js')}\`\`\``,
    );
  });
});
