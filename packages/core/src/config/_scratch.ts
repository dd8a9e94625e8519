import { z } from 'zod';
import { parseDocument, LineCounter } from 'yaml';
const U = z.union([z.array(z.string().regex(/^a/)).min(1), z.strictObject({ semver: z.string().refine(() => false, 'bad semver') }), z.strictObject({ regex: z.string() })]);
const S = z.strictObject({ a: z.strictObject({ tags: U }), n: z.literal(1), s: z.string(), e: z.enum(['x','y']) }).superRefine((v, ctx) => { ctx.addIssue({ code: 'custom', message: 'root refine ran', path: ['zz'] }); });
for (const input of [{ a: { tags: ['b'] }, n: 2, s: 5, e: 'q', extra: 1 }, { a: { tags: { semver: 'x' } }, n: 1, s: 'x', e: 'x' }, { a: { tags: { semver: 'x', foo: 1 } } }, { a: { tags: 'str' } }, {a:{tags:['a']}, n:1, s:'x', e:'x'}]) {
  const r = S.safeParse(input);
  console.log(JSON.stringify(r.success ? 'ok' : r.error.issues, null, 1));
}
const lc = new LineCounter();
const doc = parseDocument('a: 1\na: 2\nb: [1, 2\nc: 2027-01-31\n', { lineCounter: lc, prettyErrors: false });
console.log(doc.errors.map(e => [e.code, e.message, e.pos, e.linePos]), doc.warnings);
const d2 = parseDocument('%YAML 1.1\n---\nc: 2027-01-31\nd: 0777\n', { lineCounter: lc });
console.log(d2.toJS(), d2.warnings, d2.errors);
const d3 = parseDocument('c: 2027-01-31\nd: !!timestamp 2027-01-31\n');
console.log(d3.toJS(), d3.warnings.map(String), d3.errors.map(String));
