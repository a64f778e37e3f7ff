#!/usr/bin/env node
import { main } from '../lib/create.js';

process.exitCode = main(process.argv.slice(2), process.env);
