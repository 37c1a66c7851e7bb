// Copies what tsc does not emit (icons, codex files) next to the built nodes,
// and removes what it emits for nothing: a module of types alone compiles to an
// empty file that no one loads, and the package ships only what n8n loads.
const { readdirSync, readFileSync, rmSync } = require('fs');
const { join } = require('path');
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

const EMPTY_MODULE = '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n';

async function removeTypeOnlyModules() {
	for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
		const file = join(entry.parentPath, entry.name);
		if (entry.isFile() && file.endsWith('.js') && readFileSync(file, 'utf8') === EMPTY_MODULE) rmSync(file);
	}
}

exports['build:assets'] = parallel(copyIcons, copyCodex, removeTypeOnlyModules);
exports.default = exports['build:assets'];
