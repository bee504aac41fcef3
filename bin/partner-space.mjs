#!/usr/bin/env node
// Administration CLI for Partner Space. Run `partner-space help` for the commands.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/cli.ts');
