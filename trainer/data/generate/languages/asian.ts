// Chinese, Japanese and Thai templates.
//
// Chinese and Japanese write digits straight against the surrounding text
// (no spaces: "有3个苹果"); the equation still stays "a + b = c" as in every
// other language, so the arithmetic step looks the same to a byte-level model.
import type { LanguageSpec, Person } from './types';

function p(name: string, female: boolean): Person {
  return { name, female };
}

export const zh: LanguageSpec = {
  code: 'zh',
  label: 'Chinese',
  names: [
    p('小明', false),
    p('小红', true),
    p('李华', false),
    p('王芳', true),
    p('张伟', false),
    p('刘丽', true),
    p('小军', false),
    p('小美', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name}有${a}个苹果，又买了${b}个。${name}现在有多少个苹果？`,
      response: `${name}有${a}个苹果，又买了${b}个。${a} + ${b} = ${c}。答案是${c}。`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `一本书有${a}页，${name}已经读了${b}页。还剩多少页没有读？`,
      response: `这本书有${a}页，${name}读了${b}页。${a} - ${b} = ${c}。答案是${c}。`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name}有${a}个盒子，每个盒子里有${b}支铅笔。${name}一共有多少支铅笔？`,
      response: `${a}个盒子，每个盒子里有${b}支铅笔。${a} * ${b} = ${c}。答案是${c}。`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name}把${a}枚硬币平均分给${b}个朋友。每个朋友分到多少枚硬币？`,
      response: `${a}枚硬币平均分给${b}个朋友。${a} / ${b} = ${c}。答案是${c}。`,
    }),
  },
};

// Japanese word problems address people with さん, so the templates add it.
// Counters: 個 (apples, boxes), ページ, 本 (pencils), 枚 (coins), 人 (people).
export const ja: LanguageSpec = {
  code: 'ja',
  label: 'Japanese',
  names: [
    p('太郎', false),
    p('花子', true),
    p('健太', false),
    p('さくら', true),
    p('翔太', false),
    p('結衣', true),
    p('大輔', false),
    p('美咲', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name}さんはりんごを${a}個持っています。さらに${b}個買いました。${name}さんは今、りんごを何個持っていますか？`,
      response: `${name}さんはりんごを${a}個持っていて、${b}個買いました。${a} + ${b} = ${c}。答えは${c}です。`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `${a}ページの本があります。${name}さんはもう${b}ページ読みました。あと何ページ残っていますか？`,
      response: `${a}ページのうち${b}ページを読みました。${a} - ${b} = ${c}。答えは${c}です。`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name}さんは箱を${a}個持っています。どの箱にも鉛筆が${b}本入っています。鉛筆は全部で何本ありますか？`,
      response: `箱が${a}個あり、それぞれに鉛筆が${b}本入っています。${a} * ${b} = ${c}。答えは${c}です。`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name}さんはコイン${a}枚を${b}人の友達に同じ数ずつ分けます。一人何枚もらえますか？`,
      response: `${a}枚を${b}人で同じ数ずつ分けます。${a} / ${b} = ${c}。答えは${c}です。`,
    }),
  },
};

// Thai separates clauses with a space instead of punctuation and puts the
// number before its classifier ("แอปเปิล 3 ผล"); questions end without "?".
export const th: LanguageSpec = {
  code: 'th',
  label: 'Thai',
  names: [
    p('สมชาย', false),
    p('มาลี', true),
    p('วิชัย', false),
    p('สุดา', true),
    p('อนันต์', false),
    p('นภา', true),
    p('ประเสริฐ', false),
    p('ปราณี', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name}มีแอปเปิล ${a} ผล และซื้อมาเพิ่มอีก ${b} ผล ตอนนี้${name}มีแอปเปิลกี่ผล`,
      response: `${name}มีแอปเปิล ${a} ผล ซื้อเพิ่มอีก ${b} ผล ${a} + ${b} = ${c} คำตอบคือ ${c}`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `หนังสือเล่มหนึ่งมี ${a} หน้า ${name}อ่านไปแล้ว ${b} หน้า เหลืออีกกี่หน้าที่ยังไม่ได้อ่าน`,
      response: `หนังสือมี ${a} หน้า ${name}อ่านไปแล้ว ${b} หน้า ${a} - ${b} = ${c} คำตอบคือ ${c}`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name}มีกล่อง ${a} ใบ แต่ละกล่องมีดินสอ ${b} แท่ง ${name}มีดินสอทั้งหมดกี่แท่ง`,
      response: `กล่อง ${a} ใบ กล่องละ ${b} แท่ง ${a} * ${b} = ${c} คำตอบคือ ${c}`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name}แบ่งเหรียญ ${a} เหรียญให้เพื่อน ${b} คนเท่า ๆ กัน เพื่อนแต่ละคนจะได้เหรียญกี่เหรียญ`,
      response: `แบ่งเหรียญ ${a} เหรียญให้ ${b} คน ${a} / ${b} = ${c} คำตอบคือ ${c}`,
    }),
  },
};

export const asian: readonly LanguageSpec[] = [zh, ja, th];
