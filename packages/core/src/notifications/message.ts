import * as z from 'zod';
import { collapseToOneLine } from '../shared/index.js';

/*
 * Every Dockmaster event routed to a team topic carries `detail.message`: a subject line and a plain-text
 * body a person on call reads in ten seconds. The team rule's input transformer hands exactly that to SNS
 * e-mail (topology/team-alerts.ts); chat and paging integrations can use it as it is.
 */

/** A message a person on call reads in ten seconds: subject for the e-mail, body in plain text. */
interface RenderedMessage {
  subject: string;
  body: string;
}

/** SNS Publish: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long." */
const MAX_SUBJECT_LENGTH = 99;

/** A subject: one line, no control characters, shorter than SNS's 100-character limit for subjects. */
const RenderedMessageSchema = z.object({
  subject: z
    .string()
    .min(1)
    .max(MAX_SUBJECT_LENGTH)
    .regex(/^[^\p{Cc}]*$/u, 'a subject is one line without control characters'),
  body: z.string().min(1),
});

/** Cuts the middle of the text (keeping its start and end, e.g. repository and tag) to fit `max`. */
const shortenMiddle = (text: string, max: number): string => {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
};

/**
 * `<prefix><reference><suffix>` in at most MAX_SUBJECT_LENGTH characters: the reference (the image) is
 * shortened in the middle first, the suffix cut last, so the subject still says what and where.
 */
const fitSubject = (prefix: string, reference: string, suffix: string): string => {
  // Characters that would break the subject line (a tag or message with a newline) become spaces.
  const [head, what, tail] = [collapseToOneLine(prefix), collapseToOneLine(reference), collapseToOneLine(suffix)];
  const room = MAX_SUBJECT_LENGTH - head.length - tail.length;
  const subject = `${head}${shortenMiddle(what, Math.max(room, 8))}${tail}`;
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…`;
};

/** `sha256:<12 hex>`: a digest as messages name it. */
const shortDigest = (digest: string): string => digest.slice(0, 'sha256:'.length + 12);

/** `repository:tag`, or `repository@sha256:<12 hex>` when there is no tag. */
const imageReference = (repository: string, tag: string | null | undefined, digest: string | null | undefined): string => {
  if (tag) return `${repository}:${tag}`;
  return digest ? `${repository}@${shortDigest(digest)}` : repository;
};

export { fitSubject, imageReference, MAX_SUBJECT_LENGTH, RenderedMessageSchema, shortDigest };
export type { RenderedMessage };
