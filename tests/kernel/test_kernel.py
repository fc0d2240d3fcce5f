"""jupyter_kernel_test suite for the rlvr-lab TypeScript kernel.

Run from the repo root (after `npx tsc -p tsconfig.build.json`):
    JUPYTER_PATH=$PWD /usr/bin/python3 -m unittest -v tests/kernel/test_kernel.py
tests/kernel/kernel-suite.test.ts runs it as part of `npm test`.
"""
import unittest

import jupyter_kernel_test


class RlvrLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "rlvr-lab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'
    code_generate_error = 'throw new Error("boom")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const someLongVariableName = 1; someLongVar", "matches": {"someLongVariableName"}},
    ]
    complete_code_samples = ["1 + 1", "const a = 2;", "function f(x: number) { return x; }", "for (;;) {}"]
    incomplete_code_samples = ["function f(x: number) {", "const xs = [1, 2,", "if (true) {"]
    invalid_code_samples = ["const = 5;", "1 +* 2", "let let = ;"]

    code_execute_result = [
        {"code": "1 + 2 + 3", "result": "6"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2].map((x) => x * 10)", "result": "[ 10, 20 ]"},
        {
            "code": '({ [Symbol.for("rlvr.mimebundle")]: { "text/html": "<b>hi</b>", "text/plain": "hi" } })',
            "mime": "text/html",
            "result": "<b>hi</b>",
        },
    ]
    code_display_data = [
        {"code": 'import * as tslab from "tslab"; tslab.display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab"; tslab.display.markdown("*md*")', "mime": "text/markdown"},
        {"code": 'import * as tslab from "tslab"; tslab.display.svg("<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>")', "mime": "image/svg+xml"},
    ]
    code_history_pattern = "1 + 2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.abs"
    code_clear_output = 'console.log("x"); (globalThis as any)[Symbol.for("rlvr.kernel")].clearOutput()'


if __name__ == "__main__":
    unittest.main()
