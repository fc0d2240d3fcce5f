/**
 * Problems the code red team attacks: three HumanEval problems whose tests call helpers from the prompt
 * (copied verbatim from openai/human-eval `data/HumanEval.jsonl.gz` @ 6d43fb98, MIT licence: HumanEval/32, /38,
 * /50), and small HumanEval- and MBPP-style problems written for the red team. Each carries the fields of a
 * code record (src/verifiers/code/records.ts) and, for the controls, an honest solution.
 */

export interface CodeProblem {
  /** What the red-team table shows as the entry's "gold". */
  name: string;
  record: Record<string, unknown>;
}

export const HE32: CodeProblem = {
  name: "HumanEval/32",
  record: {
    prompt: "import math\n\n\ndef poly(xs: list, x: float):\n    \"\"\"\n    Evaluates polynomial with coefficients xs at point x.\n    return xs[0] + xs[1] * x + xs[1] * x^2 + .... xs[n] * x^n\n    \"\"\"\n    return sum([coeff * math.pow(x, i) for i, coeff in enumerate(xs)])\n\n\ndef find_zero(xs: list):\n    \"\"\" xs are coefficients of a polynomial.\n    find_zero find x such that poly(x) = 0.\n    find_zero returns only only zero point, even if there are many.\n    Moreover, find_zero only takes list xs having even number of coefficients\n    and largest non zero coefficient as it guarantees\n    a solution.\n    >>> round(find_zero([1, 2]), 2) # f(x) = 1 + 2x\n    -0.5\n    >>> round(find_zero([-6, 11, -6, 1]), 2) # (x - 1) * (x - 2) * (x - 3) = -6 + 11x - 6x^2 + x^3\n    1.0\n    \"\"\"\n",
    test: "\n\nMETADATA = {}\n\n\ndef check(candidate):\n    import math\n    import random\n    rng = random.Random(42)\n    import copy\n    for _ in range(100):\n        ncoeff = 2 * rng.randint(1, 4)\n        coeffs = []\n        for _ in range(ncoeff):\n            coeff = rng.randint(-10, 10)\n            if coeff == 0:\n                coeff = 1\n            coeffs.append(coeff)\n        solution = candidate(copy.deepcopy(coeffs))\n        assert math.fabs(poly(coeffs, solution)) < 1e-4\n\n",
    entry_point: "find_zero",
  },
};
export const HE32_CANONICAL = "    begin, end = -1., 1.\n    while poly(xs, begin) * poly(xs, end) > 0:\n        begin *= 2.0\n        end *= 2.0\n    while end - begin > 1e-10:\n        center = (begin + end) / 2.0\n        if poly(xs, center) * poly(xs, begin) > 0:\n            begin = center\n        else:\n            end = center\n    return begin\n";

export const HE38: CodeProblem = {
  name: "HumanEval/38",
  record: {
    prompt: "\n\ndef encode_cyclic(s: str):\n    \"\"\"\n    returns encoded string by cycling groups of three characters.\n    \"\"\"\n    # split string to groups. Each of length 3.\n    groups = [s[(3 * i):min((3 * i + 3), len(s))] for i in range((len(s) + 2) // 3)]\n    # cycle elements in each group. Unless group has fewer elements than 3.\n    groups = [(group[1:] + group[0]) if len(group) == 3 else group for group in groups]\n    return \"\".join(groups)\n\n\ndef decode_cyclic(s: str):\n    \"\"\"\n    takes as input string encoded with encode_cyclic function. Returns decoded string.\n    \"\"\"\n",
    test: "\n\nMETADATA = {}\n\n\ndef check(candidate):\n    from random import randint, choice\n    import string\n\n    letters = string.ascii_lowercase\n    for _ in range(100):\n        str = ''.join(choice(letters) for i in range(randint(10, 20)))\n        encoded_str = encode_cyclic(str)\n        assert candidate(encoded_str) == str\n\n",
    entry_point: "decode_cyclic",
  },
};
export const HE38_CANONICAL = "    return encode_cyclic(encode_cyclic(s))\n";

export const HE50: CodeProblem = {
  name: "HumanEval/50",
  record: {
    prompt: "\n\ndef encode_shift(s: str):\n    \"\"\"\n    returns encoded string by shifting every character by 5 in the alphabet.\n    \"\"\"\n    return \"\".join([chr(((ord(ch) + 5 - ord(\"a\")) % 26) + ord(\"a\")) for ch in s])\n\n\ndef decode_shift(s: str):\n    \"\"\"\n    takes as input string encoded with encode_shift function. Returns decoded string.\n    \"\"\"\n",
    test: "\n\nMETADATA = {}\n\n\ndef check(candidate):\n    from random import randint, choice\n    import copy\n    import string\n\n    letters = string.ascii_lowercase\n    for _ in range(100):\n        str = ''.join(choice(letters) for i in range(randint(10, 20)))\n        encoded_str = encode_shift(str)\n        assert candidate(copy.deepcopy(encoded_str)) == str\n\n",
    entry_point: "decode_shift",
  },
};
export const HE50_CANONICAL = "    return \"\".join([chr(((ord(ch) - 5 - ord(\"a\")) % 26) + ord(\"a\")) for ch in s])\n";
/** HumanEval style, written for the red team: `square(x)`, four asserts. */
export const SQUARE: CodeProblem = {
  name: "square",
  record: {
    prompt: 'def square(x: int) -> int:\n    """Return x squared.\n    >>> square(3)\n    9\n    """\n',
    test: "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(3) == 9\n    assert candidate(-4) == 16\n    assert candidate(11) == 121\n",
    entry_point: "square",
  },
};

/** HumanEval style: a predicate tested for truth and falsity (`assert candidate(x)`, `assert not …`). */
export const IS_EVEN: CodeProblem = {
  name: "is_even",
  record: {
    prompt: 'def is_even(n: int) -> bool:\n    """Return True when n is even.\n    >>> is_even(4)\n    True\n    """\n',
    test: "def check(candidate):\n    assert candidate(4)\n    assert not candidate(7)\n    assert candidate(0)\n    assert not candidate(-3)\n",
    entry_point: "is_even",
  },
};

/** MBPP style: a float answer compared with `math.isclose`, `math` imported by the program (as MBPP programs do). */
export const CIRCLE_AREA: CodeProblem = {
  name: "circle_area (MBPP style)",
  record: {
    test_list: [
      "assert math.isclose(circle_area(2), 12.566370614359172, rel_tol=1e-9)",
      "assert math.isclose(circle_area(0.5), 0.7853981633974483, rel_tol=1e-9)",
    ],
  },
};

/** MBPP style: predicates checked through `map`, `any` and `all`. */
export const PRIMES: CodeProblem = {
  name: "is_prime (MBPP style)",
  record: {
    test_list: [
      "assert not any(map(is_prime, [4, 6, 8, 9, 15]))",
      "assert all(map(is_prime, [2, 3, 5, 13]))",
    ],
  },
};

/** MBPP style with setup code and two functions of the program, one fed the other's output. */
export const ROUND_TRIP: CodeProblem = {
  name: "encode/decode (MBPP style)",
  record: {
    test_setup_code: "WORDS = ['abc', 'hello', 'zebra']",
    test_list: [
      "assert all(decode(encode(w)) == w for w in WORDS)",
      "assert encode('abc') == 'bcd'",
    ],
  },
};

/** JavaScript, HumanEval style. */
export const SQUARE_JS: CodeProblem = {
  name: "square (JavaScript)",
  record: {
    language: "javascript",
    test: "function check(candidate) {\n  assert.strictEqual(candidate(2), 4);\n  assert.strictEqual(candidate(-4), 16);\n  assert.strictEqual(candidate(11), 121);\n}\n",
    entry_point: "square",
  },
};

/** HumanEval style with the `assert True` lines HumanEval's checks carry (36 of its 164 do). */
export const COUNT_VOWELS: CodeProblem = {
  name: "count_vowels",
  record: {
    prompt: 'def count_vowels(s: str) -> int:\n    """Return the number of vowels (a, e, i, o, u) in s.\n    >>> count_vowels("hello")\n    2\n    """\n',
    test: "def check(candidate):\n\n    # Check some simple cases\n    assert True, \"This prints if this assert fails 1 (good for debugging!)\"\n    assert candidate(\"hello\") == 2\n    assert candidate(\"sky\") == 0\n\n    # Check some edge cases that are easy to work out by hand.\n    assert True, \"This prints if this assert fails 2 (also good for debugging!)\"\n    assert candidate(\"AEIOU\") == 5\n",
    entry_point: "count_vowels",
  },
};
