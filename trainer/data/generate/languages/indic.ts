// Bengali and Telugu templates (both low-resource targets).
//
// Numbers are ASCII digits here too ("3টি", not "৩টি"), matching every other
// language, so the digits of an item are byte-identical across languages.
import type { LanguageSpec, Person } from './types';
import { byGender, form } from './types';

function p(name: string, female: boolean, forms?: Record<string, string>): Person {
  return forms ? { name, female, forms } : { name, female };
}

// Bengali possession is "X-এর কাছে ... আছে" ("with X there is"); the genitive
// suffix depends on the name's final sound (-এর after a consonant, -র after a
// vowel), so each name carries its genitive. Bengali verbs do not mark gender.
export const bn: LanguageSpec = {
  code: 'bn',
  label: 'Bengali',
  names: [
    p('রহিম', false, { gen: 'রহিমের' }),
    p('সীমা', true, { gen: 'সীমার' }),
    p('অমিত', false, { gen: 'অমিতের' }),
    p('রিনা', true, { gen: 'রিনার' }),
    p('করিম', false, { gen: 'করিমের' }),
    p('প্রিয়া', true, { gen: 'প্রিয়ার' }),
    p('রাজু', false, { gen: 'রাজুর' }),
    p('মিতা', true, { gen: 'মিতার' }),
  ],
  templates: {
    buy: (who, { a, b, c }) => ({
      prompt: `${form(who, 'gen')} কাছে ${a}টি আপেল আছে। সে আরও ${b}টি আপেল কিনল। এখন ${form(who, 'gen')} কাছে কয়টি আপেল আছে?`,
      response: `${form(who, 'gen')} কাছে ${a}টি আপেল ছিল, সে আরও ${b}টি কিনল। ${a} + ${b} = ${c}। উত্তর হলো ${c}।`,
    }),
    read: (who, { a, b, c }) => ({
      prompt: `একটি বইয়ে ${a} পৃষ্ঠা আছে। ${who.name} ইতিমধ্যে ${b} পৃষ্ঠা পড়েছে। আর কত পৃষ্ঠা পড়া বাকি আছে?`,
      response: `বইটিতে ${a} পৃষ্ঠা, ${who.name} পড়েছে ${b} পৃষ্ঠা। ${a} - ${b} = ${c}। উত্তর হলো ${c}।`,
    }),
    boxes: (who, { a, b, c }) => ({
      prompt: `${form(who, 'gen')} কাছে ${a}টি বাক্স আছে। প্রতিটি বাক্সে ${b}টি পেনসিল আছে। মোট কয়টি পেনসিল আছে?`,
      response: `${a}টি বাক্স, প্রতিটিতে ${b}টি পেনসিল। ${a} * ${b} = ${c}। উত্তর হলো ${c}।`,
    }),
    share: (who, { a, b, c }) => ({
      prompt: `${who.name} ${a}টি মুদ্রা ${b} জন বন্ধুর মধ্যে সমানভাবে ভাগ করে দিল। প্রত্যেক বন্ধু কয়টি মুদ্রা পেল?`,
      response: `${a}টি মুদ্রা ${b} জনের মধ্যে সমানভাবে ভাগ করা হলো। ${a} / ${b} = ${c}। উত্তর হলো ${c}।`,
    }),
  },
};

// Telugu past-tense verbs agree with the subject: masculine -ాడు, while women
// take the non-masculine -ింది/-ది form ("చదివాడు" / "చదివింది"). Possession is
// "X దగ్గర ... ఉన్నాయి" ("with X there are"), which needs no case form.
export const te: LanguageSpec = {
  code: 'te',
  label: 'Telugu',
  names: [
    p('రాము', false),
    p('సీత', true),
    p('రవి', false),
    p('లక్ష్మి', true),
    p('కృష్ణ', false),
    p('గీత', true),
    p('సురేష్', false),
    p('పద్మ', true),
  ],
  templates: {
    buy: (who, { a, b, c }) => ({
      prompt: `${who.name} దగ్గర ${a} ఆపిల్ పండ్లు ఉన్నాయి. ${who.name} ఇంకా ${b} ఆపిల్ పండ్లు ${byGender(who, 'కొన్నాడు', 'కొన్నది')}. ఇప్పుడు ${who.name} దగ్గర ఎన్ని ఉన్నాయి?`,
      response: `${who.name} దగ్గర ${a} ఆపిల్ పండ్లు ఉన్నాయి, ఇంకా ${b} ${byGender(who, 'కొన్నాడు', 'కొన్నది')}. ${a} + ${b} = ${c}. సమాధానం ${c}.`,
    }),
    read: (who, { a, b, c }) => ({
      prompt: `ఒక పుస్తకంలో ${a} పేజీలు ఉన్నాయి. ${who.name} ఇప్పటికే ${b} పేజీలు ${byGender(who, 'చదివాడు', 'చదివింది')}. ఇంకా ఎన్ని పేజీలు చదవాలి?`,
      response: `పుస్తకంలో ${a} పేజీలు, ${who.name} ${b} పేజీలు ${byGender(who, 'చదివాడు', 'చదివింది')}. ${a} - ${b} = ${c}. సమాధానం ${c}.`,
    }),
    boxes: (who, { a, b, c }) => ({
      prompt: `${who.name} దగ్గర ${a} పెట్టెలు ఉన్నాయి. ఒక్కో పెట్టెలో ${b} పెన్సిళ్లు ఉన్నాయి. మొత్తం ఎన్ని పెన్సిళ్లు ఉన్నాయి?`,
      response: `${a} పెట్టెలు, ఒక్కో పెట్టెలో ${b} పెన్సిళ్లు. ${a} * ${b} = ${c}. సమాధానం ${c}.`,
    }),
    share: (who, { a, b, c }) => ({
      prompt: `${who.name} ${a} నాణేలను ${b} మంది స్నేహితులకు సమానంగా ${byGender(who, 'పంచాడు', 'పంచింది')}. ఒక్కొక్కరికి ఎన్ని నాణేలు వచ్చాయి?`,
      response: `${a} నాణేలను ${b} మందికి సమానంగా పంచాలి. ${a} / ${b} = ${c}. సమాధానం ${c}.`,
    }),
  },
};

export const indic: readonly LanguageSpec[] = [bn, te];
