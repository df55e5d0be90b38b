// Test seam, loaded into the real binary with `node --require` (see faultEnv in fs-faults.ts): makes one `node:fs`
// call fail with one errno code for paths containing a given text, the way a full disk (ENOSPC at write or fsync) or
// a read-only mount (EROFS at open) fails it. It works as root and on every file system, where chmod does not stop
// root and a tiny tmpfs needs a mount. No product code knows about it.
//
// LLMGW_TEST_FS_FAULT = JSON {"call": "writeFileSync" | "writeSync" | "fsyncSync" | "openSync" | "renameSync" |
// "mkdirSync" | "copyFileSync", "code": "ENOSPC", "match": "settings.json.tmp-"}. Calls that take a file descriptor
// fail for one opened on a matching path; the others fail for a matching (first) path argument.
'use strict';
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const fault = JSON.parse(process.env.LLMGW_TEST_FS_FAULT);
const MESSAGES = {
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EIO: 'i/o error',
};
const ERRNOS = { ENOSPC: -28, EROFS: -30, EACCES: -13, EIO: -5 };
const FD_CALLS = new Set(['writeFileSync', 'writeSync', 'fsyncSync']);
const watched = new Set();

function failure(call, path) {
  const syscall = call.replace(/Sync$/, '').replace('writeFile', 'write');
  const err = new Error(`${fault.code}: ${MESSAGES[fault.code] ?? 'injected'}, ${syscall} '${path}'`);
  return Object.assign(err, { code: fault.code, errno: ERRNOS[fault.code], syscall, path: String(path) });
}

const open = fs.openSync;
fs.openSync = function openSync(path, ...rest) {
  if (fault.call === 'openSync' && String(path).includes(fault.match)) throw failure('openSync', path);
  const fd = open.call(this, path, ...rest);
  if (String(path).includes(fault.match)) watched.add(fd);
  return fd;
};

if (fault.call !== 'openSync') {
  const real = fs[fault.call];
  fs[fault.call] = function injected(target, ...rest) {
    const hit = FD_CALLS.has(fault.call)
      ? typeof target === 'number' && watched.has(target)
      : String(target).includes(fault.match);
    if (hit) throw failure(fault.call, target);
    return real.call(this, target, ...rest);
  };
}
syncBuiltinESMExports(); // the bundle imports named bindings from node:fs; this points them at the wrappers
