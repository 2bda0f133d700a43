// Loaded with `node --import` before a bundled handler. Lambda's Node.js runtime puts the SDK it
// provides on NODE_PATH (/var/runtime/node_modules) and, since nodejs18.x, resolves ES module
// imports through NODE_PATH too (AWS Lambda docs, "Designating a function handler as an ES
// module"); Node itself ignores NODE_PATH for `import`, so this registers a resolve hook that does
// what the runtime does: a bare specifier Node cannot find from the importing file is looked up in
// each NODE_PATH folder in turn.
import { register } from 'node:module';

register('./lambda-node-path-hooks.mjs', import.meta.url);
