/**
 * Crafted responses for the 541 published IFEval prompts, for the peer comparison (peer.test.ts).
 *
 * For each prompt, `craftResponses` writes several responses from a seeded plan: every instruction is
 * either followed, violated, or put right at its boundary (threshold − 1, threshold, threshold + 1), and the
 * text around it is model-style (a "Sure! Here is…" first line, markdown headings, bullets, bold, a closing
 * "Let me know…" line — what loose mode strips), in the requested language where there is one. Sentences
 * carry the cases the published rules handle specially: abbreviations, initials, decimals, ellipses,
 * quotes, contractions, hyphenated and ALL-CAPS words, URLs, e-mail addresses.
 * The plans do not aim to be correct; they aim to land on both sides of every rule.
 */
import { createRng, randInt, type Rng } from "../../../src/stats/rng.js";

export interface PublishedPrompt {
  key: number;
  prompt: string;
  instruction_id_list: string[];
  kwargs: Array<Record<string, unknown>>;
}

const EN = [
  "The committee met on Monday to review the proposal.",
  "Dr. Smith said the results were encouraging, e.g. a 3.5% gain in yield.",
  "It wasn't easy, but we can't give up now.",
  "J. R. R. Tolkien wrote stories that people still read today.",
  "Prices rose again... nobody was surprised.",
  "She asked, \"Are you coming tonight?\" and then left.",
  "The well-known author visited the U.S. last year.",
  "Our team shipped the NEW version on time!",
  "Is this really the best we can do?",
  "Visit https://example.com/docs or write to help@example.org for details.",
  "Most people prefer tea, coffee, or water in the morning.",
  "The river (which flows north) floods every spring.",
  "In 2023 the city planted 1,200 trees along the main road.",
  "They gonna finish it by noon, I think.",
  "This approach is simple; it works well in practice.",
  "A good plan needs time: time to think and time to test.",
  "We met Mr. Lee at 5 p.m. near the station.",
  "The results are shown in Table 2.",
  "Honestly, I LOVE this idea and the whole TEAM agrees.",
  "Every morning the baker opens the shop at six o'clock.",
];

const LANG: Record<string, string[]> = {
  hi: ["यह एक सुंदर दिन है और हम पार्क में घूमने जा रहे हैं।", "भारत में कई भाषाएँ बोली जाती हैं।", "मुझे किताबें पढ़ना बहुत पसंद है।"],
  kn: ["ಇಂದು ಹವಾಮಾನ ತುಂಬಾ ಚೆನ್ನಾಗಿದೆ.", "ನಾನು ಬೆಂಗಳೂರಿನಲ್ಲಿ ವಾಸಿಸುತ್ತೇನೆ.", "ಕನ್ನಡ ಒಂದು ಸುಂದರ ಭಾಷೆ."],
  mr: ["आज हवामान खूप छान आहे.", "मी पुण्यात राहतो आणि मला वाचन आवडते.", "महाराष्ट्रात अनेक किल्ले आहेत."],
  vi: ["Hôm nay trời rất đẹp và chúng tôi đi dạo trong công viên.", "Tôi thích đọc sách vào buổi tối.", "Việt Nam có nhiều món ăn ngon."],
  ko: ["오늘은 날씨가 정말 좋습니다.", "저는 서울에 살고 있습니다.", "한국어는 배우기 재미있는 언어입니다."],
  sw: ["Leo ni siku nzuri sana na tunakwenda sokoni.", "Ninapenda kusoma vitabu jioni.", "Tanzania ina milima mirefu na mbuga nyingi za wanyama."],
  de: ["Heute ist das Wetter sehr schön und wir gehen spazieren.", "Ich lese gerne Bücher am Abend.", "Deutschland hat viele alte Städte."],
  pa: ["ਅੱਜ ਮੌਸਮ ਬਹੁਤ ਵਧੀਆ ਹੈ।", "ਮੈਂ ਪੰਜਾਬ ਵਿੱਚ ਰਹਿੰਦਾ ਹਾਂ।", "ਪੰਜਾਬੀ ਇੱਕ ਸੁੰਦਰ ਭਾਸ਼ਾ ਹੈ।"],
  fa: ["امروز هوا بسیار خوب است و ما به پارک می‌رویم.", "من کتاب خواندن را دوست دارم.", "ایران کشوری با تاریخ طولانی است."],
  ru: ["Сегодня очень хорошая погода, и мы идём гулять.", "Я люблю читать книги по вечерам.", "В России много больших городов."],
  bg: ["Днес времето е много хубаво и отиваме на разходка.", "Обичам да чета книги вечер.", "България има красиви планини."],
  pt: ["Hoje o tempo está muito bom e vamos passear no parque.", "Eu gosto de ler livros à noite.", "O Brasil tem muitas praias bonitas."],
  gu: ["આજે હવામાન ખૂબ સરસ છે.", "હું અમદાવાદમાં રહું છું.", "ગુજરાતી એક સુંદર ભાષા છે."],
  te: ["ఈ రోజు వాతావరణం చాలా బాగుంది.", "నేను హైదరాబాద్‌లో నివసిస్తున్నాను.", "తెలుగు ఒక అందమైన భాష."],
  it: ["Oggi il tempo è molto bello e andiamo a fare una passeggiata.", "Mi piace leggere libri la sera.", "L'Italia ha molte città storiche."],
  ar: ["الطقس اليوم جميل جدا ونحن ذاهبون إلى الحديقة.", "أحب قراءة الكتب في المساء.", "مصر بلد ذو تاريخ طويل."],
  ta: ["இன்று வானிலை மிகவும் நன்றாக உள்ளது.", "நான் சென்னையில் வசிக்கிறேன்.", "தமிழ் ஒரு அழகான மொழி."],
  fi: ["Tänään sää on todella kaunis ja menemme kävelylle.", "Luen mielelläni kirjoja iltaisin.", "Suomessa on paljon järviä."],
  ur: ["آج موسم بہت اچھا ہے اور ہم پارک جا رہے ہیں۔", "مجھے شام کو کتابیں پڑھنا پسند ہے۔", "پاکستان میں بہت سے پہاڑ ہیں۔"],
  th: ["วันนี้อากาศดีมากและเราจะไปเดินเล่นในสวน", "ฉันชอบอ่านหนังสือตอนเย็น", "ประเทศไทยมีอาหารอร่อยมากมาย"],
  ne: ["आज मौसम धेरै राम्रो छ र हामी घुम्न जाँदैछौं।", "मलाई साँझ किताब पढ्न मन पर्छ।", "नेपालमा धेरै अग्ला हिमालहरू छन्।"],
  bn: ["আজ আবহাওয়া খুব সুন্দর এবং আমরা পার্কে যাচ্ছি।", "আমি সন্ধ্যায় বই পড়তে ভালোবাসি।", "বাংলাদেশে অনেক নদী আছে।"],
};

const PREAMBLES = ["Sure! Here is my answer:", "Certainly, here you go.", "**Answer**", "Here's a draft for you:"];
const CLOSINGS = ["Let me know if you need anything else!", "I hope this helps.", "*Note: this is a draft.*", "Any other questions?"];

type Intent = "follow" | "violate" | "edge";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[randInt(rng, xs.length)]!;
const num = (v: unknown) => Number(v);

/** Repeat sentences from `bank` until `target` sentences. */
function sentences(rng: Rng, bank: readonly string[], target: number): string[] {
  return Array.from({ length: Math.max(0, target) }, () => pick(rng, bank));
}

function around(rng: Rng, threshold: number, relation: unknown, intent: Intent): number {
  const follow = relation === "less than" ? threshold - 1 - randInt(rng, 3) : threshold + randInt(rng, 3);
  const violate = relation === "less than" ? threshold + randInt(rng, 3) : threshold - 1 - randInt(rng, 3);
  const edge = threshold + pick(rng, [-1, 0, 1]);
  return Math.max(0, intent === "follow" ? follow : intent === "violate" ? violate : edge);
}

/** One response for `p` with one intent per instruction. */
export function craftOne(p: PublishedPrompt, intents: Intent[], rng: Rng, realistic: boolean): string {
  const langKw = p.instruction_id_list.indexOf("language:response_language");
  const lang = langKw >= 0 ? String(p.kwargs[langKw]!.language) : "en";
  const bank = lang !== "en" && LANG[lang] && intents[langKw] !== "violate" ? LANG[lang]! : EN;
  let body = sentences(rng, bank, 3 + randInt(rng, 6));
  let paragraphs = 1 + randInt(rng, 3);
  let sep = "\n\n";
  let bullets = realistic ? randInt(rng, 4) : 0;
  let bulletMark = pick(rng, ["*", "-", "  *"]);
  let highlights = realistic ? randInt(rng, 3) : 0;
  let prefix = "";
  let suffix = "";
  let title = realistic && randInt(rng, 3) === 0 ? "<<A Short Title>>" : "";
  const extra: string[] = [];
  let upper = null as Intent | null;
  let lower = null as Intent | null;
  let quote = null as Intent | null;
  let json = null as Intent | null;
  let two = null as Intent | null;
  let repeat = null as { text: string; intent: Intent } | null;
  let noComma = null as Intent | null;
  let endPhrase = null as { text: string; intent: Intent } | null;
  let sections = null as { word: string; n: number } | null;
  let firstWord = null as { word: string; nth: number; n: number; intent: Intent } | null;
  let capitals = 0;

  p.instruction_id_list.forEach((id, i) => {
    const k = p.kwargs[i]!;
    const it = intents[i]!;
    switch (id) {
      case "keywords:existence":
        for (const w of k.keywords as string[]) if (it !== "violate" || randInt(rng, 2)) extra.push(`We talked about ${w} for a while.`);
        break;
      case "keywords:frequency":
        for (let j = around(rng, num(k.frequency), k.relation, it); j > 0; j--) extra.push(pick(rng, [`The ${k.keyword} matters.`, `${String(k.keyword).toUpperCase()} again.`, `(${k.keyword})`]));
        break;
      case "keywords:forbidden_words":
        if (it !== "follow") for (const w of k.forbidden_words as string[]) extra.push(pick(rng, [`I would not say ${w} here.`, `Many ${w}s were seen.`, `The ${w}-like shape.`]));
        break;
      case "keywords:letter_frequency": {
        const target = around(rng, num(k.let_frequency), k.let_relation, it);
        extra.push(String(k.letter).repeat(Math.max(0, target - 2)));
        break;
      }
      case "length_constraints:number_sentences":
        body = sentences(rng, bank, around(rng, num(k.num_sentences), k.relation, it) - (title ? 0 : 0));
        break;
      case "length_constraints:number_words": {
        const target = around(rng, num(k.num_words), k.relation, it);
        const words: string[] = [];
        while (words.length < target) words.push(...pick(rng, bank).split(" "));
        body = [words.slice(0, target).join(" ") + "."];
        break;
      }
      case "length_constraints:number_paragraphs":
        sep = pick(rng, ["\n\n***\n\n", "\n***\n", " *** "]);
        paragraphs = it === "follow" ? num(k.num_paragraphs) : Math.max(1, num(k.num_paragraphs) + pick(rng, [-1, 1]));
        if (it === "edge") sep = pick(rng, ["\n\n* * *\n\n", "\n\n******\n\n", "\n\n***\n\n***\n\n"]);
        break;
      case "length_constraints:nth_paragraph_first_word":
        firstWord = { word: String(k.first_word), nth: num(k.nth_paragraph), n: num(k.num_paragraphs), intent: it };
        break;
      case "detectable_content:number_placeholders":
        for (let j = it === "follow" ? num(k.num_placeholders) : num(k.num_placeholders) - 1; j > 0; j--) extra.push(pick(rng, ["[name]", "[address]", "[date of birth]", "[ ]"]));
        break;
      case "detectable_content:postscript": {
        const m = String(k.postscript_marker);
        suffix += it === "violate" ? "\n\nPS I forgot to add this." : `\n\n${pick(rng, [m, m.toLowerCase(), m.replace(/\./g, ". ").trim()])} Do not forget the meeting.`;
        break;
      }
      case "detectable_format:number_bullet_lists":
        bullets = it === "follow" ? num(k.num_bullets) : num(k.num_bullets) + pick(rng, [-1, 1]);
        if (it === "edge") bulletMark = pick(rng, ["**", "*", "-", "\t-"]);
        break;
      case "detectable_format:constrained_response":
        if (it !== "violate") extra.push(pick(rng, ["My answer is yes.", "My answer is no.", "My answer is maybe."]));
        else extra.push("My answer is probably yes");
        break;
      case "detectable_format:number_highlighted_sections":
        highlights = it === "follow" ? num(k.num_highlights) : Math.max(0, num(k.num_highlights) - 1);
        break;
      case "detectable_format:multiple_sections":
        sections = { word: String(k.section_spliter), n: it === "follow" ? num(k.num_sections) : num(k.num_sections) - 1 };
        break;
      case "detectable_format:json_format":
        json = it;
        break;
      case "detectable_format:title":
        title = it === "violate" ? pick(rng, ["", "<< >>", "<title>"]) : pick(rng, ["<<My Title>>", "<<poem of joy>>", "# <<Heading>>"]);
        break;
      case "combination:two_responses":
        two = it;
        break;
      case "combination:repeat_prompt":
        repeat = { text: String(k.prompt_to_repeat), intent: it };
        break;
      case "startend:end_checker":
        endPhrase = { text: String(k.end_phrase), intent: it };
        break;
      case "startend:quotation":
        quote = it;
        break;
      case "change_case:capital_word_frequency":
        capitals = around(rng, num(k.capital_frequency), k.capital_relation, it);
        break;
      case "change_case:english_capital":
        upper = it;
        break;
      case "change_case:english_lowercase":
        lower = it;
        break;
      case "punctuation:no_comma":
        noComma = it;
        break;
      default:
        break;
    }
  });

  for (const e of extra) body.splice(randInt(rng, body.length + 1), 0, e);
  for (let j = 0; j < capitals; j++) body.splice(randInt(rng, body.length + 1), 0, pick(rng, ["WOW", "NASA", "I", "U.S.A.", "OK!", "HIGH-QUALITY"]));
  const nPar = firstWord ? (firstWord.intent === "violate" && randInt(rng, 2) ? firstWord.n + 1 : firstWord.n) : paragraphs;
  const per = Math.max(1, Math.ceil(body.length / Math.max(1, nPar)));
  const pars: string[] = [];
  for (let j = 0; j < nPar; j++) pars.push(body.slice(j * per, (j + 1) * per).join(" ") || pick(rng, bank));
  if (firstWord && firstWord.nth - 1 < pars.length) {
    const w = firstWord.intent === "violate" ? "Moreover" : firstWord.intent === "edge" ? pick(rng, [`"${firstWord.word}"`, `${firstWord.word},`, `**${firstWord.word}**`, firstWord.word.toUpperCase()]) : firstWord.word;
    pars[firstWord.nth - 1] = `${w} ${pars[firstWord.nth - 1]}`;
  }
  for (let j = 0; j < highlights; j++) {
    const q = randInt(rng, pars.length);
    pars[q] += pick(rng, [" *an important point*", " **key idea**", " *", " ** **"]);
  }
  if (sections) for (let j = 0; j < pars.length; j++) if (j < sections.n) pars[j] = `${sections.word} ${j + 1}\n${pars[j]}`;
  let text = (title ? title + "\n\n" : "") + pars.join(firstWord ? "\n\n" : sep);
  if (bullets > 0) text += "\n\n" + Array.from({ length: bullets }, (_, j) => `${bulletMark} point ${j + 1}: ${pick(rng, bank)}`).join("\n");
  text += suffix;
  if (endPhrase) text += endPhrase.intent === "violate" ? `\n${endPhrase.text} Thanks.` : endPhrase.intent === "edge" ? `\n"${endPhrase.text}"` : ` ${endPhrase.text}`;
  if (noComma === "follow") text = text.replace(/,/g, "");
  else if (noComma === "edge") text = text.replace(/,/g, "，");
  if (upper) text = upper === "violate" ? text.toUpperCase().replace(/E/, "e") : text.toUpperCase();
  if (lower) text = lower === "violate" ? text.toLowerCase().replace(/a/, "A") : text.toLowerCase();
  if (two) text = two === "follow" ? `${text}\n******\n${pars[0]}` : two === "edge" ? `${text}\n******\n${text}` : text;
  if (json) text = json === "violate" ? `Here is the JSON: {"answer": ${JSON.stringify(text)}}` : json === "edge" ? "```json\n" + JSON.stringify({ answer: text, score: 3.5 }, null, 2) + "\n```" : JSON.stringify({ answer: text });
  if (quote) text = quote === "violate" ? `"${text}` : quote === "edge" ? ` "${text}"\n` : `"${text}"`;
  const r = repeat;
  if (r) text = (r.intent === "follow" ? r.text : r.intent === "edge" ? r.text.toUpperCase() : "Sure. " + r.text) + "\n\n" + text;
  if (realistic) text = `${pick(rng, PREAMBLES)}\n\n${text}\n\n${pick(rng, CLOSINGS)}`;
  return text;
}

const INTENTS: Intent[] = ["follow", "violate", "edge"];

/** `perPrompt` responses for `p`, deterministic in (p.key, seed). */
export function craftResponses(p: PublishedPrompt, perPrompt: number, seed = 0): string[] {
  const rng = createRng(seed * 100_003 + p.key);
  const n = p.instruction_id_list.length;
  const out: string[] = [];
  for (let r = 0; r < perPrompt; r++) {
    const intents: Intent[] =
      r === 0 ? Array(n).fill("follow") : r === 1 ? Array.from({ length: n }, (_, i) => (i === randInt(rng, n) ? "violate" : "follow")) : Array.from({ length: n }, () => pick(rng, INTENTS));
    out.push(craftOne(p, intents, rng, r % 2 === 1 || r >= 4));
  }
  return out;
}

/** Responses every checker must survive: empty, blank, stars only, one line, first/last-line tricks. */
export const EDGE_RESPONSES = ["", "   \n  ", "*", "***", "\n\n", "OK", "Sure!\n", "\nonly middle\n", "\"\"", "```json\n```", "P.S.", "<<>>", "******", "a\n******\nb", "x ***", "Ş ș ț \u1ea1 \u0219tiin\u021b\u0103"];
