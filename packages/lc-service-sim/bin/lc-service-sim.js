#!/usr/bin/env node
// A file that exists before the build, so `npm ci` links the command in a fresh clone.
import '../dist/main.js';
