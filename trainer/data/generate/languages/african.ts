// Swahili and Yoruba templates (both low-resource targets).
//
// In both languages the number follows the noun ("matufaha 3", "ápù 3");
// writing it in digits sidesteps Swahili numeral agreement (tatu/watatu) and
// long Yoruba number words, and keeps the digits identical across languages.
import type { LanguageSpec, Person } from './types';

function p(name: string, female: boolean): Person {
  return { name, female };
}

// Swahili noun classes used: tufaha/matufaha and sanduku/masanduku (ji-ma, so
// "mengine", "mangapi", "lina"), ukurasa/kurasa, penseli, sarafu (n-class
// plurals, so "ngapi", "zimebaki"), kitabu (ki-vi, "kina"), rafiki/marafiki.
export const sw: LanguageSpec = {
  code: 'sw',
  label: 'Swahili',
  names: [
    p('Juma', false),
    p('Amina', true),
    p('Baraka', false),
    p('Neema', true),
    p('Hamisi', false),
    p('Zawadi', true),
    p('Omari', false),
    p('Rehema', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name} ana matufaha ${a} na ananunua mengine ${b}. Sasa ${name} ana matufaha mangapi?`,
      response: `${name} ana matufaha ${a} na ananunua mengine ${b}. ${a} + ${b} = ${c}. Jibu ni ${c}.`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `Kitabu kina kurasa ${a}. ${name} amesoma kurasa ${b}. Zimebaki kurasa ngapi za kusoma?`,
      response: `Kitabu kina kurasa ${a} na ${name} amesoma ${b}. ${a} - ${b} = ${c}. Jibu ni ${c}.`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name} ana masanduku ${a}, na kila sanduku lina penseli ${b}. ${name} ana penseli ngapi kwa jumla?`,
      response: `Masanduku ${a}, kila moja lina penseli ${b}. ${a} * ${b} = ${c}. Jibu ni ${c}.`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name} anagawa sarafu ${a} kwa usawa kati ya marafiki ${b}. Kila rafiki anapata sarafu ngapi?`,
      response: `Sarafu ${a} zinagawanywa kwa marafiki ${b}. ${a} / ${b} = ${c}. Jibu ni ${c}.`,
    }),
  },
};

// Yoruba is written with full tone marks and dots below (ẹ, ọ, ṣ); strings
// are NFC-normalised by the generator so the same word always has the same bytes.
export const yo: LanguageSpec = {
  code: 'yo',
  label: 'Yoruba',
  names: [
    p('Adé', false),
    p('Bọ́lá', true),
    p('Túndé', false),
    p('Kẹ́mi', true),
    p('Fẹ́mi', false),
    p('Ṣadé', true),
    p('Dàpọ̀', false),
    p('Tòpẹ́', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name} ní ápù ${a}, ó sì tún ra ${b} sí i. Ápù mélòó ni ${name} ní báyìí?`,
      response: `${name} ní ápù ${a}, ó sì tún ra ${b} sí i. ${a} + ${b} = ${c}. Ìdáhùn náà ni ${c}.`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `Ìwé kan ní ojú-ìwé ${a}. ${name} ti ka ojú-ìwé ${b}. Ojú-ìwé mélòó ló kù láti kà?`,
      response: `Ìwé náà ní ojú-ìwé ${a}, ${name} sì ti ka ${b}. ${a} - ${b} = ${c}. Ìdáhùn náà ni ${c}.`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name} ní àpótí ${a}, pẹ́ńsùlù ${b} sì wà nínú àpótí kọ̀ọ̀kan. Pẹ́ńsùlù mélòó ni ${name} ní lápapọ̀?`,
      response: `Àpótí ${a}, pẹ́ńsùlù ${b} nínú ọ̀kọ̀ọ̀kan. ${a} * ${b} = ${c}. Ìdáhùn náà ni ${c}.`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name} pín owó ẹyọ ${a} dọ́gba-dọ́gba fún ọ̀rẹ́ ${b}. Owó ẹyọ mélòó ni ọ̀rẹ́ kọ̀ọ̀kan gbà?`,
      response: `A pín owó ẹyọ ${a} fún ọ̀rẹ́ ${b}. ${a} / ${b} = ${c}. Ìdáhùn náà ni ${c}.`,
    }),
  },
};

export const african: readonly LanguageSpec[] = [sw, yo];
