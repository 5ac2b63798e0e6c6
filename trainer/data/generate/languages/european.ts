// English (the pivot), Spanish, French, German and Russian templates.
//
// Operands are always >= 2 (see generate.ts), so the plural noun forms below
// are always right for en/es/fr/de; Russian needs real number agreement.
import type { LanguageSpec, Person } from './types';
import { byGender, form } from './types';

function p(name: string, female: boolean, forms?: Record<string, string>): Person {
  return forms ? { name, female, forms } : { name, female };
}

export const en: LanguageSpec = {
  code: 'en',
  label: 'English',
  names: [
    p('Tom', false),
    p('Anna', true),
    p('Jack', false),
    p('Emma', true),
    p('Sam', false),
    p('Lucy', true),
    p('Ben', false),
    p('Mary', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name} has ${a} apples and buys ${b} more. How many apples does ${name} have now?`,
      response: `${name} has ${a} apples and buys ${b} more. ${a} + ${b} = ${c}. The answer is ${c}.`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `A book has ${a} pages. ${name} has read ${b} of them. How many pages are left to read?`,
      response: `The book has ${a} pages and ${name} has read ${b}. ${a} - ${b} = ${c}. The answer is ${c}.`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name} has ${a} boxes with ${b} pencils in each box. How many pencils does ${name} have?`,
      response: `${a} boxes with ${b} pencils each. ${a} * ${b} = ${c}. The answer is ${c}.`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name} shares ${a} coins equally among ${b} friends. How many coins does each friend get?`,
      response: `${a} coins are shared among ${b} friends. ${a} / ${b} = ${c}. The answer is ${c}.`,
    }),
  },
};

export const es: LanguageSpec = {
  code: 'es',
  label: 'Spanish',
  names: [
    p('Juan', false),
    p('María', true),
    p('Carlos', false),
    p('Lucía', true),
    p('Pedro', false),
    p('Sofía', true),
    p('Diego', false),
    p('Elena', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name} tiene ${a} manzanas y compra ${b} más. ¿Cuántas manzanas tiene ${name} ahora?`,
      response: `${name} tiene ${a} manzanas y compra ${b} más. ${a} + ${b} = ${c}. La respuesta es ${c}.`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `Un libro tiene ${a} páginas. ${name} ya ha leído ${b}. ¿Cuántas páginas le quedan por leer?`,
      response: `El libro tiene ${a} páginas y ${name} ha leído ${b}. ${a} - ${b} = ${c}. La respuesta es ${c}.`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name} tiene ${a} cajas con ${b} lápices en cada caja. ¿Cuántos lápices tiene ${name}?`,
      response: `${a} cajas con ${b} lápices cada una. ${a} * ${b} = ${c}. La respuesta es ${c}.`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name} reparte ${a} monedas a partes iguales entre ${b} amigos. ¿Cuántas monedas recibe cada amigo?`,
      response: `${a} monedas se reparten entre ${b} amigos. ${a} / ${b} = ${c}. La respuesta es ${c}.`,
    }),
  },
};

// French questions use inversion with the noun subject ("Combien de pommes a
// Marie ?") because "a-t-il/a-t-elle" would need the name's gender.
export const fr: LanguageSpec = {
  code: 'fr',
  label: 'French',
  names: [
    p('Pierre', false),
    p('Marie', true),
    p('Louis', false),
    p('Camille', true),
    p('Hugo', false),
    p('Chloé', true),
    p('Lucas', false),
    p('Léa', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name} a ${a} pommes et en achète ${b} de plus. Combien de pommes a ${name} maintenant ?`,
      response: `${name} a ${a} pommes et en achète ${b} de plus. ${a} + ${b} = ${c}. La réponse est ${c}.`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `Un livre a ${a} pages. ${name} en a déjà lu ${b}. Combien de pages reste-t-il à lire ?`,
      response: `Le livre a ${a} pages et ${name} en a lu ${b}. ${a} - ${b} = ${c}. La réponse est ${c}.`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name} a ${a} boîtes avec ${b} crayons dans chaque boîte. Combien de crayons a ${name} ?`,
      response: `${a} boîtes de ${b} crayons chacune. ${a} * ${b} = ${c}. La réponse est ${c}.`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name} partage ${a} pièces équitablement entre ${b} amis. Combien de pièces reçoit chaque ami ?`,
      response: `${a} pièces sont partagées entre ${b} amis. ${a} / ${b} = ${c}. La réponse est ${c}.`,
    }),
  },
};

export const de: LanguageSpec = {
  code: 'de',
  label: 'German',
  names: [
    p('Lukas', false),
    p('Anna', true),
    p('Felix', false),
    p('Lena', true),
    p('Jonas', false),
    p('Marie', true),
    p('Paul', false),
    p('Sophie', true),
  ],
  templates: {
    buy: ({ name }, { a, b, c }) => ({
      prompt: `${name} hat ${a} Äpfel und kauft noch ${b} dazu. Wie viele Äpfel hat ${name} jetzt?`,
      response: `${name} hat ${a} Äpfel und kauft noch ${b} dazu. ${a} + ${b} = ${c}. Die Antwort ist ${c}.`,
    }),
    read: ({ name }, { a, b, c }) => ({
      prompt: `Ein Buch hat ${a} Seiten. ${name} hat schon ${b} davon gelesen. Wie viele Seiten sind noch übrig?`,
      response: `Das Buch hat ${a} Seiten und ${name} hat ${b} gelesen. ${a} - ${b} = ${c}. Die Antwort ist ${c}.`,
    }),
    boxes: ({ name }, { a, b, c }) => ({
      prompt: `${name} hat ${a} Schachteln mit je ${b} Stiften. Wie viele Stifte hat ${name}?`,
      response: `${a} Schachteln mit je ${b} Stiften. ${a} * ${b} = ${c}. Die Antwort ist ${c}.`,
    }),
    share: ({ name }, { a, b, c }) => ({
      prompt: `${name} teilt ${a} Münzen gleichmäßig unter ${b} Freunden auf. Wie viele Münzen bekommt jeder Freund?`,
      response: `${a} Münzen werden unter ${b} Freunden aufgeteilt. ${a} / ${b} = ${c}. Die Antwort ist ${c}.`,
    }),
  },
};

/**
 * Russian noun form after a number (nominative / inanimate accusative):
 * 1, 21, 31 ... take `one`; 2-4, 22-24 ... take `few`; the rest (incl. 11-14) `many`.
 */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

const apples = (n: number): string => ruPlural(n, 'яблоко', 'яблока', 'яблок');
const pages = (n: number): string => ruPlural(n, 'страница', 'страницы', 'страниц');
const boxesRu = (n: number): string => ruPlural(n, 'коробка', 'коробки', 'коробок');
const pencils = (n: number): string => ruPlural(n, 'карандаш', 'карандаша', 'карандашей');
const coins = (n: number): string => ruPlural(n, 'монета', 'монеты', 'монет');
// "между N друзьями": instrumental; only numbers ending in 1 (not 11) take the singular.
const friendsInstr = (n: number): string => (n % 10 === 1 && n % 100 !== 11 ? 'другом' : 'друзьями');

// The sentences are built so that every number-noun pair is in the
// nominative ("У Анны 5 яблок") or an inanimate accusative equal to it; that
// keeps ruPlural sufficient. "gen" is the name's genitive ("у Ивана").
export const ru: LanguageSpec = {
  code: 'ru',
  label: 'Russian',
  names: [
    p('Иван', false, { gen: 'Ивана' }),
    p('Анна', true, { gen: 'Анны' }),
    p('Пётр', false, { gen: 'Петра' }),
    p('Мария', true, { gen: 'Марии' }),
    p('Олег', false, { gen: 'Олега' }),
    p('Ольга', true, { gen: 'Ольги' }),
    p('Дмитрий', false, { gen: 'Дмитрия' }),
    p('Наташа', true, { gen: 'Наташи' }),
  ],
  templates: {
    buy: (who, { a, b, c }) => ({
      prompt: `У ${form(who, 'gen')} ${a} ${apples(a)}. ${who.name} покупает ещё ${b} ${apples(b)}. Сколько яблок теперь у ${form(who, 'gen')}?`,
      response: `У ${form(who, 'gen')} ${a} ${apples(a)}, и ${who.name} покупает ещё ${b}. ${a} + ${b} = ${c}. Ответ: ${c}.`,
    }),
    read: (who, { a, b, c }) => ({
      prompt: `В книге ${a} ${pages(a)}. ${who.name} уже ${byGender(who, 'прочитал', 'прочитала')} ${b} из них. Сколько страниц осталось прочитать?`,
      response: `В книге ${a} ${pages(a)}, прочитано ${b}. ${a} - ${b} = ${c}. Ответ: ${c}.`,
    }),
    boxes: (who, { a, b, c }) => ({
      prompt: `У ${form(who, 'gen')} ${a} ${boxesRu(a)}. В каждой коробке ${b} ${pencils(b)}. Сколько всего карандашей у ${form(who, 'gen')}?`,
      response: `${a} ${boxesRu(a)}, в каждой ${b} ${pencils(b)}. ${a} * ${b} = ${c}. Ответ: ${c}.`,
    }),
    share: (who, { a, b, c }) => ({
      prompt: `У ${form(who, 'gen')} ${a} ${coins(a)}. ${who.name} делит их поровну между ${b} ${friendsInstr(b)}. Сколько монет получит каждый друг?`,
      response: `Делим ${a} на ${b}. ${a} / ${b} = ${c}. Ответ: ${c}.`,
    }),
  },
};

export const european: readonly LanguageSpec[] = [en, es, fr, de, ru];
