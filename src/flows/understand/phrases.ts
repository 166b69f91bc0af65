import { lexicon } from "./lexicon.ts";
import type { Token } from "./normalise.ts";
import { normalise } from "./normalise.ts";

/**
 * Lexicon phrases compiled for matching against normalised tokens. A part is a word, a word prefix
 * (`pukul*`), or a gap (`~`, up to three other words). Words of five or more letters forgive one typo.
 */
type Part = { word: string; prefix: boolean } | { gap: true };
export type Phrase = { text: string; parts: Part[] };

/** One place a phrase matched: token positions [start, end] and the words as typed. */
export type Hit = { phrase: string; start: number; end: number; words: string };

const MAX_GAP = 5;
const compiled = new Map<string, Phrase>();

/** Compiles a lexicon phrase with the same normalising as typed text, so "gk boleh pulang" equals "tidak boleh pulang". */
export function compile(text: string): Phrase {
  const cached = compiled.get(text);
  if (cached) return cached;
  const parts: Part[] = [];
  for (const piece of text.trim().split(/\s+/)) {
    if (piece === "~") {
      parts.push({ gap: true });
      continue;
    }
    const prefix = piece.endsWith("*");
    const word = prefix ? piece.slice(0, -1) : piece;
    const tokens = normalise(word);
    tokens.forEach((t, i) => {
      parts.push({ word: t.forms[0] ?? word, prefix: prefix && i === tokens.length - 1 });
    });
  }
  const phrase = { text, parts };
  compiled.set(text, phrase);
  return phrase;
}

/** Every match of any of `phrases` in `tokens`, leftmost first; overlapping matches are all kept. */
export function findAll(tokens: Token[], phrases: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (const text of phrases) {
    const phrase = compile(text);
    for (let start = 0; start < tokens.length; start++) {
      const end = matchAt(tokens, phrase.parts, 0, start);
      if (end !== undefined) {
        hits.push({ phrase: text, start, end, words: surface(tokens, start, end) });
        break;
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Whether any phrase occurs in `tokens`. */
export function hasAny(tokens: Token[], phrases: readonly string[]): boolean {
  return findAll(tokens, phrases).length > 0;
}

/** The words as typed between two token positions, for officers and tests. */
export function surface(tokens: Token[], start: number, end: number): string {
  const words: string[] = [];
  for (let i = start; i <= end; i++) {
    const raw = tokens[i]?.raw;
    if (raw && words[words.length - 1] !== raw) words.push(raw);
  }
  return words.join(" ");
}

function matchAt(tokens: Token[], parts: Part[], p: number, i: number, clause?: number): number | undefined {
  const part = parts[p];
  if (!part) return i - 1;
  if ("gap" in part) {
    for (let skip = 0; skip <= MAX_GAP && i + skip <= tokens.length; skip++) {
      const end = matchAt(tokens, parts, p + 1, i + skip, clause);
      if (end !== undefined) return end;
    }
    return undefined;
  }
  const token = tokens[i];
  if (!token || !wordMatches(token, part.word, part.prefix)) return undefined;
  // A phrase never spans two clauses ("tidak. dikurung" is not "tidak dikurung").
  if (clause !== undefined && token.clause !== clause) return undefined;
  return matchAt(tokens, parts, p + 1, i + 1, token.clause);
}

/** Whether a token matches a lexicon word: exactly, as a prefix, or with one typo (5+ letters). */
export function wordMatches(token: Token, word: string, prefix = false): boolean {
  for (const form of token.forms) {
    if (form === word) return true;
    if (prefix && form.startsWith(word)) return true;
    if (word.length >= 6 && form[0] === word[0] && !/\d/.test(word) && withinOneEdit(form, word)) return true;
  }
  return false;
}

/** Damerau-Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

let negators: Set<string> | undefined;

/**
 * The one-word negators of the lexicon, compiled once. A phrase such as "sama sekali tidak" negates
 * through its own negator ("tidak"); its other words ("sama", "pernah") are no negators on their own:
 * "sama calo" is "with a broker", "pernah dipukul" is "has been beaten".
 */
export function negatorWords(): Set<string> {
  negators ??= new Set(
    lexicon()
      .negators.filter((n) => compile(n).parts.length === 1)
      .flatMap((n) => compile(n).parts.flatMap((p) => ("word" in p ? [p.word] : []))),
  );
  return negators;
}
