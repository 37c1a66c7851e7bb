// n8n's community package scanner's analysis, as its command line runs it on
// a package it has downloaded, here on a folder: the source (package.json,
// nodes/, credentials/) or an unpacked tarball. Prints the result as JSON.
//   node test/support/n8n-scan.mjs source|tarball DIR
import { createRequire } from 'module';
import { resolve } from 'path';

const require = createRequire(import.meta.url);
const scanner = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
createRequire(scanner)('tmp').setGracefulCleanup();
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scanner);

const [kind, folder] = process.argv.slice(2);
const dir = resolve(folder);
// the command line lints the attested source with these patterns, the published tarball's .js and package.json
const patterns = kind === 'source' ? SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
const { passed, message, details } = await analyzePackage(dir, patterns);
process.stdout.write(JSON.stringify({ passed, message, details }));
