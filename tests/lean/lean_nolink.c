/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link probe for the lean profile (tests/lean/CMakeLists.txt): calls the one
 * function named by LEAN_PROBE_FN. Linked against the lean objects alone, it
 * must fail for every call the lean profile does not provide and succeed for
 * the ones it does (the control). Never run.
 */
void LEAN_PROBE_FN(void);
int main(void);

int main(void)
{
	LEAN_PROBE_FN();
	return 0;
}
