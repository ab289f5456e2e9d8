'use strict';
// Preloaded into jsii's node process (NODE_OPTIONS=--require, set by stacks/provider_bindings.py).
//
// The prebuilt AWS provider's lib/index.js (@cdktf/provider-aws or CDK Terrain's @cdktn/provider-aws) is ~2,200
// lines of `exports.x = require("./x");` (cdktn: `require("./x/index")`): jsii's kernel
// require()s it when the assembly loads, compiling 267 MB of JavaScript (~3.8 s) for the few dozen resource types a
// synth uses. The kernel reaches types by property access (closure.s3Bucket.S3Bucket), so the same exports as lazy
// getters load only what is used. Any line this hook does not recognise means the file changed shape: it then loads
// the file as usual (correct, just slow) and says so; tests/stacks/test_provider_bindings.py fails on that report.
const Module = require('module');
const fs = require('fs');

const PROVIDER_INDEX = /[\\/]@cdkt[fn][\\/]provider-aws[\\/](?:.+[\\/])?lib[\\/]index\.js$/;
const REQUIRE_LINE = /^exports\.([A-Za-z_$][\w$]*) = require\("(\.\/[\w.-]+(?:\/index)?)"\);$/;
const KNOWN_LINES = [
  /^"use strict";$/,
  /^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);$/,
  /^exports\.[\w$]+( = exports\.[\w$]+)* = void 0;$/,
  /^\s*(\/\*\*|\*|\*\/|\/\/)/,
  /^\s*$/,
];

function parseIndex(source) {
  const submodules = [];
  for (const line of source.split('\n')) {
    const match = REQUIRE_LINE.exec(line);
    if (match) submodules.push([match[1], match[2]]);
    else if (!KNOWN_LINES.some((known) => known.test(line))) return { submodules: null, unknown: line.slice(0, 120) };
  }
  return { submodules, unknown: null };
}

function report(entry) {
  const file = process.env.STACKYARD_NODE_HOOK_REPORT;
  if (file) fs.appendFileSync(file, JSON.stringify(entry) + '\n');
  if (entry.mode !== 'lazy') process.stderr.write(`stackyard: provider index loaded eagerly (${entry.reason})\n`);
}

const loadJavaScript = Module._extensions['.js'];
Module._extensions['.js'] = function loadProviderIndexLazily(module, filename) {
  if (!PROVIDER_INDEX.test(filename)) return loadJavaScript(module, filename);
  const { submodules, unknown } = parseIndex(fs.readFileSync(filename, 'utf8'));
  if (!submodules || submodules.length === 0) {
    report({ index: filename, mode: 'eager', reason: unknown ? `unrecognised line: ${unknown}` : 'no exports' });
    return loadJavaScript(module, filename);
  }
  Object.defineProperty(module.exports, '__esModule', { value: true });
  for (const [name, request] of submodules) {
    Object.defineProperty(module.exports, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = module.require(request);
        Object.defineProperty(module.exports, name, { value, enumerable: true, writable: true, configurable: true });
        return value;
      },
    });
  }
  report({ index: filename, mode: 'lazy', exports: submodules.length });
};
