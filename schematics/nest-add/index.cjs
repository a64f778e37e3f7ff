'use strict';
// Loaded by the schematics engine with require(), hence CommonJS inside an ES module package. It
// uses only the Tree it is handed, so `nest add` needs nothing beyond what @nestjs/cli brings.

const HANDLER_FILE = 'lc-handlers.ts';

const HANDLER = `import { Injectable } from '@nestjs/common';
import { LcHandler, LcOid, lcResponse } from 'nestjs-lc-service';

@Injectable()
export class LcHandlers {
  // LimaCharlie calls this when an org installs the service.
  @LcHandler('org_install')
  install(@LcOid() oid: string) {
    return lcResponse({ data: { installed: oid } });
  }
}
`;

/**
 * @param {{ sourceRoot?: string, serviceName?: string }} options
 * @returns {(tree: any, context: any) => any}
 */
function nestAdd(options) {
  return (tree, context) => {
    const root = (options.sourceRoot || 'src').replace(/\/+$/, '');
    const modulePath = `${root}/app.module.ts`;
    const source = tree.read(modulePath);
    if (source === null) {
      throw new Error(
        `nest add nestjs-lc-service: ${modulePath} not found; set sourceRoot in nest-cli.json to the folder of app.module.ts, or import LcServiceModule.forRoot() in your root module by hand (docs/getting-started.md)`,
      );
    }
    const handlerPath = `${root}/${HANDLER_FILE}`;
    if (!tree.exists(handlerPath)) {
      tree.create(handlerPath, HANDLER);
      context.logger.info(`Created ${handlerPath}: a sample org_install handler.`);
    }
    const text = source.toString('utf8');
    if (text.includes('LcServiceModule')) {
      context.logger.info(`${modulePath} already imports LcServiceModule: left as it is.`);
      return tree;
    }
    const updated = wireModule(text, serviceName(tree, options), modulePath);
    tree.overwrite(modulePath, updated);
    context.logger.info(
      `Added LcServiceModule.forRoot() to ${modulePath}. Set LC_SHARED_SECRET to the secret registered in LimaCharlie: the app refuses to boot without it.`,
    );
    return tree;
  };
}

/** The package's name, which is what users usually register the service as. */
function serviceName(tree, options) {
  if (options.serviceName) return options.serviceName;
  const manifest = tree.read('package.json');
  if (manifest !== null) {
    try {
      const { name } = JSON.parse(manifest.toString('utf8'));
      if (typeof name === 'string' && name !== '') return name.replace(/^@[^/]+\//, '');
    } catch {
      // An unreadable package.json only costs the default name below.
    }
  }
  return 'my-service';
}

function wireModule(text, name, modulePath) {
  const decorator = text.indexOf('@Module(');
  const open = decorator === -1 ? -1 : text.indexOf('{', decorator);
  if (open === -1) {
    throw new Error(
      `nest add nestjs-lc-service: no @Module({ ... }) in ${modulePath}; add LcServiceModule.forRoot() to its imports by hand (docs/getting-started.md)`,
    );
  }
  // NodeNext apps (what `nest new` writes for Nest 12) import './x.js'; others './x'.
  const extension = /from\s+['"]\.{1,2}\/[^'"]+\.js['"]/.test(text) ? '.js' : '';
  const forRoot = `LcServiceModule.forRoot({
      serviceName: '${name.replace(/['\\]/g, '')}',
      secret: process.env.LC_SHARED_SECRET,
    })`;
  let body = addToArray(text, open, 'imports', forRoot);
  body = addToArray(body, open, 'providers', 'LcHandlers');
  const imports = [
    "import { LcServiceModule } from 'nestjs-lc-service';",
    `import { LcHandlers } from './${HANDLER_FILE.replace(/\.ts$/, extension)}';`,
  ].join('\n');
  return insertAfterImports(body, imports);
}

/** Puts `item` first in the `key: [...]` of the object literal opening at `open`, or adds the key. */
function addToArray(text, open, key, item) {
  const match = new RegExp(`\\b${key}\\s*:\\s*\\[`).exec(text.slice(open));
  if (match === null) {
    return `${text.slice(0, open + 1)}\n  ${key}: [${item}],${text.slice(open + 1)}`;
  }
  const start = open + match.index + match[0].length;
  const rest = text.slice(start).replace(/^\s*/, '');
  const before = text.slice(0, start);
  if (!item.includes('\n')) return `${before}${item}${rest.startsWith(']') ? '' : ', '}${rest}`;
  return `${before}\n    ${item},${rest.startsWith(']') ? '\n  ' : '\n    '}${rest}`;
}

function insertAfterImports(text, lines) {
  const importRe = /^import\s[\s\S]*?from\s+['"][^'"]+['"];?[^\n]*\n/gm;
  let end = 0;
  for (let m = importRe.exec(text); m !== null; m = importRe.exec(text))
    end = m.index + m[0].length;
  return `${text.slice(0, end)}${lines}\n${text.slice(end)}`;
}

module.exports = { nestAdd };
