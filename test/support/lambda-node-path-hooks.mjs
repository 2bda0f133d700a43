// The resolve hook lambda-node-path.mjs registers: bare imports fall back to NODE_PATH's folders.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const folders = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);

/** `@aws-sdk/client-ec2` or `p-map`, not `./x.js`, `/x`, `node:fs` or `file:…`. */
function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
    for (const folder of folders) {
      // As if imported from the folder's parent, where Node looks in `<parent>/node_modules`: the
      // folder itself when it is a node_modules folder, as NODE_PATH's folders are. Only a module
      // found inside the folder counts (Node would also climb further up).
      const parentURL = pathToFileURL(path.join(path.dirname(folder), 'lambda-node-path.mjs')).href;
      try {
        const found = await nextResolve(specifier, { ...context, parentURL });
        if (found.url.startsWith(pathToFileURL(folder + path.sep).href)) return found;
      } catch {
        // not in this folder; try the next
      }
    }
    throw error;
  }
}
