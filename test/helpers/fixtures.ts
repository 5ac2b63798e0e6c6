// Small hand-written parallel items for unit tests (real scripts, real lengths).
import type { ParallelItem } from '../../protocol/dataset';

export function sampleItems(): ParallelItem[] {
  return [
    {
      id: 'a1',
      answer: '7',
      langs: {
        en: { prompt: 'Tom has 3 apples and buys 4 more. How many?', response: '3 + 4 = 7. The answer is 7.' },
        sw: { prompt: 'Tom ana maembe 3 na ananunua 4 zaidi. Ni mangapi?', response: '3 + 4 = 7. Jibu ni 7.' },
        te: { prompt: 'టామ్ దగ్గర 3 ఆపిల్స్ ఉన్నాయి, ఇంకా 4 కొన్నాడు.', response: '3 + 4 = 7. సమాధానం 7.' },
      },
    },
    {
      id: 'a2',
      answer: '2',
      langs: {
        en: { prompt: 'Ann had 5 pens and gave away 3. How many are left?', response: '5 - 3 = 2. The answer is 2.' },
        sw: { prompt: 'Ann alikuwa na kalamu 5 akatoa 3. Zimebaki ngapi?', response: '5 - 3 = 2. Jibu ni 2.' },
      },
    },
    {
      id: 'a3',
      answer: '12',
      langs: {
        en: { prompt: 'A box holds 4 eggs. How many eggs are in 3 boxes?', response: '4 x 3 = 12. The answer is 12.' },
        te: { prompt: 'ఒక పెట్టెలో 4 గుడ్లు. 3 పెట్టెల్లో ఎన్ని?', response: '4 x 3 = 12. సమాధానం 12.' },
      },
    },
  ];
}
