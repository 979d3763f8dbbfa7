/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-alone `serve` for the UML tests: the same code as `amplink serve`
 * (tools/amplink/cmd_serve.c is compiled in), without the rest of the tool,
 * so the tests do not depend on which other subcommands this build has.
 */
#include "commands.h"

int main(int argc, char **argv)
{
	return amplink_cmd_serve(argc, argv);
}
