// Function words dropped before stemming. Kept deliberately short: BM25 already discounts
// frequent words, and a wrongly dropped word can never be matched again. Left out on purpose:
// قال (questions ask what someone said), غير (negates: غير الصديقة), قبل / بعد (they order events),
// عام (year, general), أول, and names that normalize like a stop word (علي the name = على).

import { normalizeArabic } from "./normalize";

// Written as in ordinary text; normalized below so they match normalized words (إلى → الي).
const ARABIC = `
ما ماذا متى أين من هل كيف لماذا لم كم أي أية الذي التي الذين اللذان اللتان اللذين اللتين اللاتي اللواتي
في إلى على عن مع منذ مذ خلال عند لدى حول ضد نحو بين دون عبر ضمن حتى لدي
و ف ب ل ك ثم أو أم بل لكن ولكن حيث إذ إذا إن أن كأن لأن بأن كما بما مما عما فيما بينما لما كي لكي سواء إما إلا
ال ه ها هم هو هي هما هن أنا نحن أنت أنتم أنتما أنتن إياه إياها إياهم
له لها لهم لنا به بها بهم بنا فيه فيها فيهم منه منها منهم عنه عنها عنهم عليه عليها عليهم إليه إليها إليهم معه معها معهم لديه لديها لديهم
إنه إنها أنه أنها أنهم إنهم
هذا هذه هذان هاتان هؤلاء ذلك تلك ذلكم أولئك هنا هناك هنالك ذا ذات ذو ذوي
كان كانت كانوا يكون تكون يكونون ليس ليست لست تم تمت يتم تتم سيتم ستتم قد لقد سوف لا لن
كل بعض أيضا أيضًا فقط جدا كذلك هكذا لذلك لذا حسب بحسب وفق وفقا
`;

const ENGLISH = `
a an the and or but nor so yet if then than that this these those there here
of to in on at by for with from into onto about above below over under between through during before after
as per via against without within upon out up down off
is am are was were be been being have has had having do does did doing will would shall should can could may might must
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
what which who whom whose when where why how
not no all any both each few more most other some such only own same too very just also
s t d ll m re ve
`;

function wordSet(list: string, normalize: (word: string) => string = (word) => word): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean).map(normalize));
}

/** Arabic function words, in normalized form (normalizeArabic). */
export const ARABIC_STOP_WORDS: ReadonlySet<string> = wordSet(ARABIC, normalizeArabic);

/** English function words, lowercase. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = wordSet(ENGLISH);

// Questions come in French, German and Spanish too; their function words must not be
// translated into Arabic content words ("est" → الشرق, "pas" → الخطوه).
const FRENCH = `le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi quand où comment pourquoi quel quelle quels quelles
  est sont été être a ont avait avoir fait ce cet cette ces il elle ils elles on nous vous je tu se sa son ses leur leurs
  dans sur sous avec pour par en y ne pas plus moins très aussi comme lors entre vers chez sans depuis doit doivent`;
const GERMAN = `der die das den dem des ein eine einer eines einem einen und oder aber wer wen wem wessen was wann wo wie warum welche welcher welches
  ist sind war waren wurde wurden werden wird hat haben hatte sein zu von mit für auf aus bei nach über unter im am vom zum zur
  nicht auch sich es er sie wir ihr noch schon sehr als wenn dass`;
const SPANISH = `el la los las un una unos unas lo al del de y o pero que qué quien quién quienes cuándo cuando dónde donde cómo como por porqué cuál cuáles
  es son fue fueron ser ha han había está están estar se su sus en con para sin sobre entre hasta desde muy más también no ni`;

/** French, German and Spanish function words, lowercase. */
export const OTHER_LATIN_STOP_WORDS: ReadonlySet<string> = new Set([...wordSet(FRENCH), ...wordSet(GERMAN), ...wordSet(SPANISH)]);

// Russian questions too: question words, prepositions, conjunctions, pronouns, particles and the
// forms of быть ("Будет ли …" would otherwise be looked up, and sound like an Arabic word).
// Written with ё where it belongs; the set also holds the е spelling most people type.
const RUSSIAN = `кто кого кому кем ком что чего чему чем чём какой какая какое какие каким каких какую каком такой такая такое такие
  который которая которое которые которого которой котором которых которым когда где куда откуда почему зачем как сколько чей чья чьё чьи
  в во на с со к ко по о об обо от до из изо у за над под при про для без через между перед после среди около вокруг
  и а но или либо да ни не нет ли же бы ведь уже ещё только также тоже если то чтобы
  я мы ты вы он она оно они его её их ему ей им ими нему ней них нас вам вас нам меня мне тебя тебе себя себе свой своя своё свои
  этот эта это эти этого этой этом этих тот та те того той том тех
  быть был была было были будет будут будем буду есть является являются`;

/** Russian function words, lowercase, with ё and the е spelling both present. */
export const RUSSIAN_STOP_WORDS: ReadonlySet<string> = new Set(
  [...wordSet(RUSSIAN)].flatMap((word) => [word, word.replace(/ё/g, "е")]),
);

/** The analyzer's default: all these languages (Arabic, Latin-script and Cyrillic words never collide). */
export const DEFAULT_STOP_WORDS: ReadonlySet<string> = new Set([
  ...ARABIC_STOP_WORDS,
  ...ENGLISH_STOP_WORDS,
  ...OTHER_LATIN_STOP_WORDS,
  ...RUSSIAN_STOP_WORDS,
]);
