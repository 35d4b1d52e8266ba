/**
 * SQL only through parameterised queries: every knex/pg call whose SQL text is built from a
 * template or a `+` may interpolate only escaped identifiers (`escapeIdentifier(...)`) or
 * SQL_FRAGMENT constants (UPPER_CASE module constants of fixed SQL); values go in bindings.
 * Test-only helpers (`testing/` folders, `*.test.ts`) are left out.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_ROOTS = ['db/src', 'server/src', 'orchestrator/src'];
const SQL_METHODS = new Set([
  'raw',
  'query',
  'whereRaw',
  'orWhereRaw',
  'havingRaw',
  'orderByRaw',
  'groupByRaw',
  'joinRaw',
  'fromRaw',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'testing' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Whether an interpolated expression is safe SQL text (not a value). */
function safeInterpolation(expr: ts.Expression): boolean {
  if (ts.isIdentifier(expr)) return /^[A-Z][A-Z0-9_]*$/.test(expr.text);
  if (ts.isCallExpression(expr)) {
    const callee = expr.expression;
    const name = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : '';
    return name === 'escapeIdentifier';
  }
  return false;
}

function unsafeSqlCalls(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      SQL_METHODS.has(node.expression.name.text)
    ) {
      const sql = node.arguments[0];
      const where = `${path.relative(ROOT, file)}:${String(source.getLineAndCharacterOfPosition(node.getStart()).line + 1)}`;
      if (sql && ts.isBinaryExpression(sql)) found.push(`${where} builds SQL with +`);
      if (sql && ts.isTemplateExpression(sql)) {
        for (const span of sql.templateSpans) {
          if (!safeInterpolation(span.expression)) {
            found.push(`${where} interpolates \${${span.expression.getText()}}`);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('SQL text never interpolates values', () => {
  const files = SOURCE_ROOTS.flatMap((root) => sourceFiles(path.join(ROOT, root)));
  assert.ok(files.length > 50, `scanned ${String(files.length)} files`);
  assert.deepEqual(files.flatMap(unsafeSqlCalls), []);
});

test('the check sees an interpolated value', () => {
  const probe = path.join(ROOT, 'test/security/fixtures/unsafeSql.ts.txt');
  // The scanner works on any TypeScript text; a file that interpolates a value must be caught.
  const calls = unsafeSqlCalls(probe);
  assert.equal(calls.length, 2, calls.join('\n'));
});
