/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The subcommands of the `amplink` tool. Each is implemented in cmd_<name>.c and
 * follows the same contract: it parses its own arguments (and --help), prints
 * errors that name the cause to stderr, and returns one of the exit codes below.
 */
#ifndef AMPLINK_TOOL_COMMANDS_H
#define AMPLINK_TOOL_COMMANDS_H

/* Exit codes of every subcommand (documented in docs/cli.md). */
enum amplink_exit {
	AMPLINK_EXIT_OK = 0,	   /* done */
	AMPLINK_EXIT_FAILURE = 1,  /* the operation failed (see the message) */
	AMPLINK_EXIT_USAGE = 2,	   /* bad command line */
	AMPLINK_EXIT_NOENT = 3,	   /* no such firmware file or remote name */
	AMPLINK_EXIT_BADIMAGE = 4, /* firmware rejected: not ELF, wrong class, bad table, ... */
	AMPLINK_EXIT_STATE = 5,	   /* the remote is not in a state that allows this */
	AMPLINK_EXIT_TIMEOUT = 6,  /* the remote did not answer in time */
	AMPLINK_EXIT_PEER = 7,	   /* the remote crashed or misbehaved */
};

int amplink_cmd_start(int argc, char **argv);
int amplink_cmd_stop(int argc, char **argv);
int amplink_cmd_status(int argc, char **argv);
int amplink_cmd_trace(int argc, char **argv);
int amplink_cmd_attach(int argc, char **argv);
int amplink_cmd_detach(int argc, char **argv);
int amplink_cmd_ping(int argc, char **argv);
int amplink_cmd_run(int argc, char **argv);
int amplink_cmd_serve(int argc, char **argv);
int amplink_cmd_bench(int argc, char **argv);

#endif
