/**
 * Built-in few-shot exemplars, written for this project in the GSM8K and MATH styles (short word
 * problems with integer answers; short competition-style problems with LaTeX answers). Each solution is
 * the reasoning only; the prompt builder appends the answer in the style's format.
 */

export interface Exemplar {
  question: string;
  reasoning: string;
  answer: string;
}

export const GSM8K_EXEMPLARS: readonly Exemplar[] = [
  { question: "Tom has 3 boxes with 12 pencils in each box. He gives away 7 pencils. How many pencils does he have left?", reasoning: "The 3 boxes hold 3 * 12 = 36 pencils.\nAfter giving away 7 he has 36 - 7 = 29 pencils.", answer: "29" },
  { question: "A bakery sells muffins for $2 each and cookies for $1 each. Ana buys 4 muffins and 6 cookies. How much does she spend?", reasoning: "The muffins cost 4 * 2 = 8 dollars.\nThe cookies cost 6 * 1 = 6 dollars.\nShe spends 8 + 6 = 14 dollars.", answer: "14" },
  { question: "A train travels at 60 miles per hour for 3 hours and then at 40 miles per hour for 2 hours. How far does it travel in total?", reasoning: "First it travels 60 * 3 = 180 miles.\nThen it travels 40 * 2 = 80 miles.\nIn total it travels 180 + 80 = 260 miles.", answer: "260" },
  { question: "Maria reads 15 pages a day. How many days does she need to finish a 120-page book?", reasoning: "She needs 120 / 15 = 8 days.", answer: "8" },
  { question: "A garden has 5 rows of 8 tulips. Half of the tulips are red. How many red tulips are there?", reasoning: "There are 5 * 8 = 40 tulips.\nHalf of them, 40 / 2 = 20, are red.", answer: "20" },
  { question: "Sam earns $12 an hour. He works 7 hours on Monday and 5 hours on Tuesday. How much does he earn in total?", reasoning: "He works 7 + 5 = 12 hours.\nHe earns 12 * 12 = 144 dollars.", answer: "144" },
  { question: "There are 30 students in a class. 2/5 of them walk to school and the rest take the bus. How many take the bus?", reasoning: "30 * 2 / 5 = 12 students walk.\nSo 30 - 12 = 18 students take the bus.", answer: "18" },
  { question: "A shop had 250 apples. It sold 85 in the morning and 97 in the afternoon. How many apples are left?", reasoning: "It sold 85 + 97 = 182 apples.\nIt has 250 - 182 = 68 apples left.", answer: "68" },
];

export const MATH_EXEMPLARS: readonly Exemplar[] = [
  { question: "What is the value of $\\frac{3}{4} + \\frac{1}{8}$?", reasoning: "Since $\\frac{3}{4} = \\frac{6}{8}$, the sum is $\\frac{6}{8} + \\frac{1}{8} = \\frac{7}{8}$.", answer: "\\frac{7}{8}" },
  { question: "Solve for $x$: $2x + 5 = 17$.", reasoning: "Subtracting 5 gives $2x = 12$, so $x = 6$.", answer: "6" },
  { question: "What is the greatest common divisor of 84 and 120?", reasoning: "We have $84 = 2^2 \\cdot 3 \\cdot 7$ and $120 = 2^3 \\cdot 3 \\cdot 5$, so the gcd is $2^2 \\cdot 3 = 12$.", answer: "12" },
  { question: "How many positive divisors does 36 have?", reasoning: "Since $36 = 2^2 \\cdot 3^2$, it has $(2+1)(2+1) = 9$ divisors.", answer: "9" },
];
