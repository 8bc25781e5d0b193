// Guesses at the dictionary forms of an inflected English word, for when the dictionary lacks the
// inflected form itself. The guesses are over-generated on purpose ("signed" → signe, sign):
// only the ones the dictionary contains are used, in the order given here.

// Common irregular forms that no suffix rule reaches.
const IRREGULAR: Record<string, string> = {
  men: "man", women: "woman", children: "child", people: "person", feet: "foot", teeth: "tooth",
  mice: "mouse", geese: "goose", crises: "crisis", analyses: "analysis", theses: "thesis",
  was: "be", were: "be", been: "be", is: "be", are: "be", am: "be",
  has: "have", had: "have", did: "do", done: "do", does: "do",
  went: "go", gone: "go", said: "say", made: "make", took: "take", taken: "take",
  gave: "give", given: "give", came: "come", saw: "see", seen: "see", got: "get", gotten: "get",
  knew: "know", known: "know", thought: "think", told: "tell", found: "find", held: "hold",
  led: "lead", met: "meet", sent: "send", spent: "spend", built: "build", brought: "bring",
  bought: "buy", fought: "fight", caught: "catch", taught: "teach", sought: "seek",
  began: "begin", begun: "begin", ran: "run", won: "win", lost: "lose", left: "leave",
  kept: "keep", stood: "stand", chose: "choose", chosen: "choose", spoke: "speak", spoken: "speak",
  wrote: "write", written: "write", broke: "break", broken: "break", drove: "drive", driven: "drive",
  rose: "rise", risen: "rise", fell: "fall", fallen: "fall", grew: "grow", grown: "grow",
  drew: "draw", drawn: "draw", threw: "throw", thrown: "throw", shot: "shoot", struck: "strike",
  paid: "pay", laid: "lay", fled: "flee", flew: "fly", flown: "fly", ate: "eat", eaten: "eat",
};

const SHORTEST_STEM = 3;
const DOUBLED_FINAL = /([b-df-hj-np-tv-z])\1$/;

/** Possible base forms of a lowercase English word, most likely first; never includes the word itself. */
export function englishLemmaCandidates(word: string): string[] {
  const candidates: string[] = [];
  const add = (stem: string) => {
    if (stem.length >= SHORTEST_STEM && stem !== word && !candidates.includes(stem)) candidates.push(stem);
  };
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) candidates.push(irregular);
  const strip = (suffix: string) => (word.endsWith(suffix) ? word.slice(0, -suffix.length) : undefined);
  const undouble = (stem: string) => (DOUBLED_FINAL.test(stem) ? stem.slice(0, -1) : stem);

  const possessive = strip("'s");
  if (possessive !== undefined) add(possessive);
  const ies = strip("ies");
  if (ies !== undefined) add(ies + "y");
  const s = strip("s");
  if (s !== undefined && !word.endsWith("ss")) add(s);
  const es = strip("es");
  if (es !== undefined) add(es);
  const ied = strip("ied");
  if (ied !== undefined) add(ied + "y");
  const ed = strip("ed");
  if (ed !== undefined) {
    add(ed + "e"); // approved → approve
    add(ed); // signed → sign
    add(undouble(ed)); // stopped → stop
  }
  const ing = strip("ing");
  if (ing !== undefined) {
    add(ing + "e"); // escalating → escalate
    add(ing); // signing → sign
    add(undouble(ing)); // running → run
  }
  const ily = strip("ily");
  if (ily !== undefined) add(ily + "y"); // militarily → military
  const ly = strip("ly");
  if (ly !== undefined) add(ly); // officially → official
  return candidates;
}
