/**
 * The web app's strings are messages: catalogues in step, valid ICU, every id used
 * exists, and no user-visible text hard-coded in JSX.
 *
 * The .tsx files are parsed with the TypeScript compiler itself. typescript@7 is the
 * native (Go) compiler: its package root exports only the version, and there is no
 * in-process `ts.createSourceFile`. Its JavaScript API (`typescript/unstable/sync`)
 * starts the bundled tsc binary and returns real syntax trees (`Program.getSourceFile`),
 * with `SyntaxKind` from `typescript/unstable/ast`.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { API } from 'typescript/unstable/sync';
import { SyntaxKind, type Node, type SourceFile } from 'typescript/unstable/ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const WEB = join(ROOT, 'src/web');
/** The main catalogue of a locale with each area's `i18n/messages/<area>.<locale>.json` merged in, as LocaleProvider does. */
function catalogue(locale: 'en' | 'fr'): Record<string, string> {
  const merged = JSON.parse(readFileSync(join(WEB, `i18n/${locale}.json`), 'utf8')) as Record<string, string>;
  for (const f of readdirSync(join(WEB, 'i18n/messages')).filter((n) => n.endsWith(`.${locale}.json`)).sort()) {
    const area = JSON.parse(readFileSync(join(WEB, 'i18n/messages', f), 'utf8')) as Record<string, string>;
    for (const k of Object.keys(area)) if (k in merged) throw new Error(`message ${k} is defined twice (i18n/messages/${f})`);
    Object.assign(merged, area);
  }
  return merged;
}
const en = catalogue('en');
const fr = catalogue('fr');

/** JSX attributes whose value a user sees or hears. */
const TEXT_ATTRIBUTES = new Set(['label', 'placeholder', 'title', 'aria-label', 'alt', 'content', 'aria-description', 'hint', 'validationMessage']);
const LETTER = /\p{L}/u;
const ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi;

type IcuElement = { type: number; value?: string; options?: Record<string, { value: IcuElement[] }>; children?: IcuElement[] };

function icuArguments(elements: IcuElement[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const el of elements) {
    if (el.type === 1) into[el.value!] ??= `«${el.value}»`;
    else if (el.type === 2 || el.type === 6) into[el.value!] = 2;
    else if (el.type === 3 || el.type === 4) into[el.value!] = new Date('2026-11-24T09:00:00Z');
    else if (el.type === 5) into[el.value!] = Object.keys(el.options ?? {}).find((k) => k !== 'other') ?? 'other';
    else if (el.type === 8) into[el.value!] = (chunks: unknown[]) => chunks.join('');
    for (const opt of Object.values(el.options ?? {})) icuArguments(opt.value, into);
    if (el.children) icuArguments(el.children, into);
  }
  return into;
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  node.forEachChild((child) => {
    walk(child, visit);
  });
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

interface Scan {
  hardCoded: Finding[];
  /** Message ids written out in full. */
  ids: Finding[];
  /** Ids built from a template: the literal prefix must start some key. */
  prefixes: Finding[];
  /** Ids the scan cannot resolve statically (variables). */
  dynamic: number;
}

const nameOf = (n: Node | undefined): string | undefined => {
  if (!n) return undefined;
  if (n.kind === SyntaxKind.Identifier) return (n as unknown as { text: string }).text;
  if (n.kind === SyntaxKind.PropertyAccessExpression) return nameOf((n as unknown as { name: Node }).name);
  return undefined;
};

/** The string literal a JSX attribute or expression holds directly, if any. */
function literalText(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  if (n.kind === SyntaxKind.StringLiteral || n.kind === SyntaxKind.NoSubstitutionTemplateLiteral) return (n as unknown as { text: string }).text;
  if (n.kind === SyntaxKind.JsxExpression || n.kind === SyntaxKind.ParenthesizedExpression) return literalText((n as unknown as { expression?: Node }).expression);
  return undefined;
}

function scanFile(sf: SourceFile, file: string, into: Scan): void {
  const at = (n: Node) => ({ file, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1 });

  /** Collect the message ids an `id` expression can take. */
  const collectIds = (n: Node | undefined): void => {
    if (!n) return;
    switch (n.kind) {
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NoSubstitutionTemplateLiteral:
        into.ids.push({ ...at(n), text: (n as unknown as { text: string }).text });
        return;
      case SyntaxKind.TemplateExpression: {
        const head = (n as unknown as { head: { text: string } }).head.text;
        if (head) into.prefixes.push({ ...at(n), text: head });
        else into.dynamic += 1;
        return;
      }
      case SyntaxKind.JsxExpression:
      case SyntaxKind.ParenthesizedExpression:
        collectIds((n as unknown as { expression?: Node }).expression);
        return;
      case SyntaxKind.ConditionalExpression: {
        const c = n as unknown as { whenTrue: Node; whenFalse: Node };
        collectIds(c.whenTrue);
        collectIds(c.whenFalse);
        return;
      }
      case SyntaxKind.BinaryExpression: {
        const b = n as unknown as { left: Node; right: Node; operatorToken: Node };
        if (b.operatorToken.kind === SyntaxKind.QuestionQuestionToken || b.operatorToken.kind === SyntaxKind.BarBarToken) {
          collectIds(b.left);
          collectIds(b.right);
          return;
        }
        into.dynamic += 1;
        return;
      }
      default:
        into.dynamic += 1;
    }
  };

  const idProperty = (obj: Node | undefined): Node | undefined => {
    if (obj?.kind !== SyntaxKind.ObjectLiteralExpression) return undefined;
    const props = (obj as unknown as { properties: readonly Node[] }).properties;
    const p = props.find((x) => x.kind === SyntaxKind.PropertyAssignment && nameOf((x as unknown as { name: Node }).name) === 'id');
    return p ? (p as unknown as { initializer: Node }).initializer : undefined;
  };

  const handled = new Set<Node>();
  walk(sf, (n) => {
    // Text between tags.
    if (n.kind === SyntaxKind.JsxText) {
      const text = (n as unknown as { text: string }).text;
      if (LETTER.test(text.replace(ENTITY, ''))) into.hardCoded.push({ ...at(n), text: text.trim() });
      return;
    }
    // Visible attributes given a literal: label="Search", title={'Search'}.
    if (n.kind === SyntaxKind.JsxAttribute) {
      const a = n as unknown as { name: Node; initializer?: Node };
      const name = nameOf(a.name);
      const value = literalText(a.initializer);
      if (name && TEXT_ATTRIBUTES.has(name) && value !== undefined && LETTER.test(value)) into.hardCoded.push({ ...at(n), text: `${name}=${JSON.stringify(value)}` });
      return;
    }
    // <FormattedMessage id="..." />
    if (n.kind === SyntaxKind.JsxSelfClosingElement || n.kind === SyntaxKind.JsxOpeningElement) {
      const el = n as unknown as { tagName: Node; attributes: { properties: readonly Node[] } };
      if (nameOf(el.tagName) !== 'FormattedMessage') return;
      for (const attr of el.attributes.properties) {
        if (attr.kind === SyntaxKind.JsxAttribute && nameOf((attr as unknown as { name: Node }).name) === 'id') collectIds((attr as unknown as { initializer?: Node }).initializer);
      }
      return;
    }
    // intl.formatMessage({ id: ... }), defineMessage({ id: ... })
    if (n.kind === SyntaxKind.CallExpression) {
      const c = n as unknown as { expression: Node; arguments: readonly Node[] };
      const callee = nameOf(c.expression);
      if (callee === 'formatMessage' || callee === 'defineMessage') {
        const init = idProperty(c.arguments[0]);
        if (init) {
          handled.add(init);
          collectIds(init);
        }
      }
      return;
    }
    // Any other `{ id: 'some.message' }`: a dotted id in an object literal is a message descriptor.
    if (n.kind === SyntaxKind.PropertyAssignment) {
      const p = n as unknown as { name: Node; initializer: Node };
      if (nameOf(p.name) !== 'id' || handled.has(p.initializer)) return;
      const value = literalText(p.initializer);
      if (value !== undefined && /^[A-Za-z][\w-]*(\.[\w-]+)+$/.test(value)) into.ids.push({ ...at(p.initializer), text: value });
    }
  });
}

let api: API;
let scan: Scan;
let fixtureScan: Scan;
let fixtureDir: string;

function parse(files: string[]): Map<string, SourceFile> {
  const snapshot = api.updateSnapshot({ openFiles: files });
  const out = new Map<string, SourceFile>();
  for (const f of files) {
    const sf = snapshot.getDefaultProjectForFile(f)?.program.getSourceFile(f);
    if (!sf) throw new Error(`TypeScript could not parse ${f}`);
    out.set(f, sf);
  }
  return out;
}

beforeAll(() => {
  api = new API({ cwd: ROOT });
  const files = (readdirSync(WEB, { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(WEB, f))
    .sort();
  scan = { hardCoded: [], ids: [], prefixes: [], dynamic: 0 };
  for (const [f, sf] of parse(files)) scanFile(sf, relative(ROOT, f), scan);

  // A fixture with one of each mistake, to prove the scan catches them.
  fixtureDir = mkdtempSync(join(tmpdir(), 'ps-web-i18n-'));
  const fixture = join(fixtureDir, 'Bad.tsx');
  writeFileSync(
    fixture,
    [
      "import { FormattedMessage, useIntl } from 'react-intl';",
      'export function Bad({ busy }: { busy: boolean }) {',
      '  const intl = useIntl();',
      '  return (',
      '    <div>',
      '      <h1>Welcome back</h1>',
      '      <input placeholder="Search partners" aria-label={\'Search\'} />',
      '      <img alt="" src="x.png" />',
      '      <span title={intl.formatMessage({ id: "common.loading" })}>&nbsp;{42}</span>',
      '      <FormattedMessage id={busy ? "no.such.message" : "common.retry"} />',
      '      {intl.formatMessage({ id: `nosuchprefix.${String(busy)}` })}',
      '    </div>',
      '  );',
      '}',
      '',
    ].join('\n'),
  );
  fixtureScan = { hardCoded: [], ids: [], prefixes: [], dynamic: 0 };
  for (const [, sf] of parse([fixture])) scanFile(sf, 'Bad.tsx', fixtureScan);
}, 60_000);

afterAll(() => {
  api?.close();
  if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
});

const list = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line} ${f.text}`);
const missingIds = (s: Scan) => s.ids.filter((f) => !(f.text in en));
const missingPrefixes = (s: Scan) => s.prefixes.filter((f) => !Object.keys(en).some((k) => k.startsWith(f.text)));

describe('web message catalogues', () => {
  it('English and French have exactly the same keys', () => {
    const onlyEn = Object.keys(en).filter((k) => !(k in fr));
    const onlyFr = Object.keys(fr).filter((k) => !(k in en));
    expect({ onlyEn, onlyFr }).toEqual({ onlyEn: [], onlyFr: [] });
  });

  it('every message is valid ICU, formats with plausible values and uses the same placeholders in both languages', () => {
    const failures: string[] = [];
    const names = (msg: string, locale: string) => Object.keys(icuArguments(new IntlMessageFormat(msg, locale).getAst() as IcuElement[])).sort().join();
    for (const [locale, cat] of [['en', en], ['fr', fr]] as const) {
      for (const [key, message] of Object.entries(cat)) {
        try {
          const fmt = new IntlMessageFormat(message, locale);
          const out = fmt.format(icuArguments(fmt.getAst() as IcuElement[]) as Record<string, string>);
          const text = Array.isArray(out) ? out.join('') : String(out);
          if (!text.trim()) failures.push(`${locale} ${key}: empty`);
          if (/[{}]/.test(text)) failures.push(`${locale} ${key}: placeholder left in "${text}"`);
        } catch (err) {
          failures.push(`${locale} ${key}: ${(err as Error).message}`);
        }
      }
    }
    for (const key of Object.keys(en)) {
      if (key in fr) {
        try {
          if (names(en[key]!, 'en') !== names(fr[key]!, 'fr')) failures.push(`${key}: en {${names(en[key]!, 'en')}} vs fr {${names(fr[key]!, 'fr')}}`);
        } catch {
          /* reported above */
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('web strings are messages', () => {
  it('the scan catches hard-coded text, literal labels and unknown ids (checked on a fixture)', () => {
    expect(list(fixtureScan.hardCoded)).toEqual(['Bad.tsx:6 Welcome back', 'Bad.tsx:7 placeholder="Search partners"', 'Bad.tsx:7 aria-label="Search"']);
    expect(list(missingIds(fixtureScan))).toEqual(['Bad.tsx:10 no.such.message']);
    expect(list(missingPrefixes(fixtureScan))).toEqual(['Bad.tsx:11 nosuchprefix.']);
    expect(fixtureScan.ids.map((f) => f.text).sort()).toEqual(['common.loading', 'common.retry', 'no.such.message']);
  });

  it('the scan sees the web app (it found the .tsx files and their message ids)', () => {
    expect(scan.ids.length).toBeGreaterThan(30);
  });

  it('no JSX text or visible attribute (label, placeholder, title, aria-label, alt, content…) is a hard-coded string', () => {
    expect(list(scan.hardCoded), `hard-coded UI strings; use a message from src/web/i18n/en.json:\n${list(scan.hardCoded).join('\n')}`).toEqual([]);
  });

  it('every message id used in src/web exists in en.json', () => {
    expect(list(missingIds(scan)), `message ids missing from en.json:\n${list(missingIds(scan)).join('\n')}`).toEqual([]);
  });

  it('every id built from a template (`status.${s}`) has its prefix in en.json', () => {
    expect(list(missingPrefixes(scan))).toEqual([]);
  });
});
