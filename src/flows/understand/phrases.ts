import { lexicon } from "./lexicon.ts";
import type { Token } from "./normalise.ts";
import { normalise } from "./normalise.ts";

/**
 * Lexicon phrases compiled for matching against normalised tokens. A part is a word, a word prefix
 * (`pukul*`), or a gap (`~`, up to three other words). Words of five or more letters forgive one typo.
 */
type Word = { word: string; prefix: boolean };
type Part = Word | { gap: true };
export type Phrase = { text: string; parts: Part[] };

/**
 * One place a phrase matched: token positions [start, end], the words as typed, and the token ranges
 * [from, to] its gaps skipped ("paspor ~ ditahan" over "paspor sy gak ditahan" skips "sy gak").
 */
export type Hit = { phrase: string; start: number; end: number; words: string; gaps: [number, number][] };

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

/**
 * The leftmost match of each of `phrases` in `tokens` that `accept` takes (a denied "hp tidak disita" does
 * not hide a later "hp disita"), leftmost first; overlapping matches of different phrases are all kept.
 */
export function findAll(tokens: Token[], phrases: readonly string[], accept?: (hit: Hit) => boolean): Hit[] {
  const found: { hit: Hit; order: number }[] = [];
  const text = scan(tokens);
  compiledList(phrases).forEach((phrase, order) => {
    const hit = firstHit(tokens, text, phrase, accept);
    if (hit) found.push({ hit, order });
  });
  return found.sort((a, b) => a.hit.start - b.hit.start || a.order - b.order).map((f) => f.hit);
}

function firstHit(
  tokens: Token[],
  text: Scan,
  phrase: Phrase,
  accept: ((hit: Hit) => boolean) | undefined,
): Hit | undefined {
  const first = phrase.parts[0];
  const starts = first && "word" in first ? positions(tokens, text, first).list : tokens.map((_, i) => i);
  const gaps: [number, number][] = [];
  for (const start of starts) {
    gaps.length = 0;
    const end = matchAt(tokens, text, phrase.parts, 0, start, undefined, gaps);
    if (end === undefined) continue;
    const hit = { phrase: phrase.text, start, end, words: surface(tokens, start, end), gaps: gaps.slice() };
    if (!accept || accept(hit)) return hit;
  }
  return undefined;
}

const lists = new WeakMap<readonly string[], Phrase[]>();

/** A list's phrases compiled, once per list. */
function compiledList(phrases: readonly string[]): Phrase[] {
  let out = lists.get(phrases);
  if (!out) {
    out = phrases.map(compile);
    lists.set(phrases, out);
  }
  return out;
}

/**
 * What is known of one token list while phrases are matched against it: token positions by form, by
 * first letter, and by first letter and length (a word matches there exactly, as a prefix or with one
 * typo), and where each lexicon word matches, found once.
 */
type Scan = {
  byForm: Map<string, number[]>;
  byLetter: Map<string, number[]>;
  words: Map<string, { at: Set<number>; list: number[] }>;
};
const scans = new WeakMap<Token[], Scan>();

function scan(tokens: Token[]): Scan {
  let text = scans.get(tokens);
  if (text) return text;
  const byForm = new Map<string, number[]>();
  const byLetter = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  tokens.forEach((t, i) => {
    for (const form of t.forms) {
      add(byForm, form, i);
      add(byLetter, form[0] ?? "", i);
      add(byLetter, `${form[0] ?? ""}${form.length}`, i);
    }
  });
  text = { byForm, byLetter, words: new Map() };
  scans.set(tokens, text);
  return text;
}

type Found = { at: Set<number>; list: number[] };
const NOWHERE: Found = { at: new Set(), list: [] };

/** Where a phrase word matches in the scanned tokens, leftmost first. */
function positions(tokens: Token[], text: Scan, part: Word): Found {
  const { word, prefix } = part;
  const key = prefix ? `${word}*` : word;
  let found = text.words.get(key);
  if (found) return found;
  const list = [...(text.byForm.get(word) ?? [])];
  const letter = word[0] ?? "";
  const near = (d: number) => text.byLetter.get(`${letter}${word.length + d}`);
  const candidates = prefix
    ? [text.byLetter.get(letter)]
    : word.length >= 6
      ? [near(-1), near(0), near(1)]
      : [];
  for (const bucket of candidates) {
    for (const i of bucket ?? []) {
      const token = tokens[i];
      if (token && !list.includes(i) && wordMatches(token, word, prefix)) list.push(i);
    }
  }
  found = list.length === 0 ? NOWHERE : { at: new Set(list), list: list.sort((x, y) => x - y) };
  text.words.set(key, found);
  return found;
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

/** The last token of a match of `parts` from token `i`, recording the ranges its gaps skip in `gaps`. */
function matchAt(
  tokens: Token[],
  text: Scan,
  parts: Part[],
  p: number,
  i: number,
  clause: number | undefined,
  gaps: [number, number][],
): number | undefined {
  const part = parts[p];
  if (!part) return i - 1;
  if ("gap" in part) {
    for (let skip = 0; skip <= MAX_GAP && i + skip <= tokens.length; skip++) {
      if (skip > 0) gaps.push([i, i + skip - 1]);
      const end = matchAt(tokens, text, parts, p + 1, i + skip, clause, gaps);
      if (end !== undefined) return end;
      if (skip > 0) gaps.pop();
    }
    return undefined;
  }
  const token = tokens[i];
  if (!token || !positions(tokens, text, part).at.has(i)) return undefined;
  // A phrase never spans two clauses ("tidak. dikurung" is not "tidak dikurung").
  if (clause !== undefined && token.clause !== clause) return undefined;
  return matchAt(tokens, text, parts, p + 1, i + 1, token.clause, gaps);
}

/**
 * Whether a token matches a lexicon word: exactly, as a prefix, or with one typo (6+ letters). A known
 * word of its own ("brother", "pegang", "contract") is no typo of another ("brothel", "penang", "contact").
 */
export function wordMatches(token: Token, word: string, prefix = false): boolean {
  for (const form of token.forms) {
    if (form === word) return true;
    if (prefix && form.startsWith(word)) return true;
    if (
      word.length >= 6 &&
      form[0] === word[0] &&
      !/\d/.test(word) &&
      withinOneEdit(form, word) &&
      !knownWords().has(form)
    ) {
      return true;
    }
  }
  return false;
}

let known: Set<string> | undefined;

/** The lexicon's `known_words`, normalised once. */
function knownWords(): Set<string> {
  known ??= new Set(lexicon().known_words.flatMap((w) => normalise(w).flatMap((t) => t.forms)));
  return known;
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
