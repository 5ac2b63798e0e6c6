// Chromium for the end-to-end test, with nothing from apt: the headless build that the npm
// package @sparticuz/chromium ships brotli-compressed (a devDependency, so `npm ci` brings
// it; nothing is downloaded at run time) is unpacked once into the git-ignored
// .cache/chromium-<version>/ (safely when parallel test files race to do it). CHROMIUM_PATH=/path/to/chromium uses another build instead.
// The binary links only glibc, NSS/NSPR and expat (all on a stock Debian 12); fontconfig
// and FreeType are built in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { ROOT } from './codeServer';

// Not @sparticuz/chromium's own `args`: those are for AWS Lambda (--single-process and
// --no-zygote because Lambda forbids prctl(PR_SET_NO_NEW_PRIVS), --disable-web-security,
// site isolation off, WebGL through SwiftShader), which would make the workbench run
// unlike a real browser. On a normal Linux host the build runs multi-process with these:
// --no-sandbox because the tests may run as root, --disable-gpu as there is none to use
// (rendering is in software), and the rest keep Chromium from calling Google's hosts,
// which a closed network refuses many times a second.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumBuild {
  executable: string;
  /** A fontconfig file (the packaged build): the system's fonts, plus the package's Open Sans. */
  fontConfig?: string;
}

/** The packaged Chromium, unpacked on first use. */
async function packagedChromium(): Promise<ChromiumBuild> {
  const pkgJson = path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string };
  const dir = path.join(ROOT, '.cache', `chromium-${version}`);
  const executable = path.join(dir, 'chromium');
  const fontConfig = path.join(dir, 'fonts.conf');
  const marker = path.join(dir, '.complete');
  const complete = () => fs.existsSync(marker) && fs.existsSync(executable);
  if (complete()) return { executable, fontConfig };

  // Test files run in parallel processes, and each may find no Chromium yet: each unpacks
  // into a folder of its own and renames it into place, so none ever executes a binary
  // another is still writing (that fails with ETXTBSY). The first rename wins.
  const t0 = Date.now();
  const tmp = `${dir}.tmp-${process.pid}`;
  process.stderr.write(`e2e: unpacking @sparticuz/chromium ${version} into ${path.relative(ROOT, dir)}…\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  // executablePath() unpacks into os.tmpdir() (the binary, with SwiftShader's GL libraries
  // beside it and a fonts/ folder) and returns any `chromium` already there unchecked, so
  // TMPDIR points at our own fresh folder for the call: no half-written or older binary
  // left in /tmp is picked up, and the marker says the unpacking finished.
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const { default: Chromium } = await import('@sparticuz/chromium');
    const unpacked = await Chromium.executablePath();
    if (path.resolve(unpacked) !== path.join(tmp, 'chromium'))
      throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${path.join(tmp, 'chromium')}`);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  // The package's own fonts.conf names only /tmp/fonts (Lambda's layout): ours keeps the
  // system's configuration and adds the unpacked Open Sans, so text renders even where no
  // fonts are installed. Its paths are the final folder's.
  fs.writeFileSync(
    path.join(tmp, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      `  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>`,
      `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(tmp, '.complete'), new Date().toISOString());
  if (!complete()) {
    // Only an interrupted unpack of an older version of this code leaves `dir` incomplete.
    if (fs.existsSync(dir) && !fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (!complete()) throw e; // not another process's finished unpack: a real failure
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  process.stderr.write(`e2e: unpacking @sparticuz/chromium: done in ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
  return { executable, fontConfig };
}

/** The Chromium to drive: CHROMIUM_PATH if set, else the packaged build (unpacked now). */
export async function findChromium(): Promise<ChromiumBuild> {
  const override = process.env.CHROMIUM_PATH;
  if (!override) return packagedChromium();
  if (!fs.existsSync(override))
    throw new Error(`CHROMIUM_PATH=${override} does not exist (unset it to use the packaged @sparticuz/chromium)`);
  return { executable: override };
}

export async function launchChromium(build: ChromiumBuild): Promise<Browser> {
  const env = build.fontConfig ? { ...process.env, FONTCONFIG_FILE: build.fontConfig } : undefined;
  return chromium.launch({ executablePath: build.executable, headless: true, args: FLAGS, env });
}
