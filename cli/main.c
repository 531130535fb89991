/* agentlint: thin main. Parse options, dispatch, return the exit status. */
#include "cli/commands.h"
#include "cli/formats.h"
#include "cli/options.h"
#include "common/version.h"
#include "model/schema.h"

/* build/gen/build_commit.c, written by the Makefile at build time. */
extern const char al_build_commit[];

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct al_opts o;
    signal(SIGPIPE, SIG_IGN);
    /* check builds and frees one agent's tree after another. By default glibc
     * hands the freed top of the heap back to the kernel after each agent
     * and faults it in again, page by page, for the next: 7 000 page faults
     * on 200 agents. Keep up to 64 MB instead; the process is short-lived. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    if (argc >= 2 && argc <= 3 && strcmp(argv[1], "--list-options") == 0)
        return al_opts_list(argc == 3 ? argv[2] : NULL);
    if (al_opts_parse(argc, argv, &o) < 0) {
        al_opts_free(&o);
        return 2;
    }
    int rc;
    if (o.version) {
        rc = al_cmd_version(al_build_commit);
    } else if (o.help) {
        enum al_command cmd = argc > 1 && argv[1][0] != '-' ? o.command : 0;
        al_opts_help(cmd);
        al_formats_help(cmd);
        rc = 0;
    } else if (o.list_formats) {
        al_formats_list(o.command);
        rc = 0;
    } else {
        switch (o.command) {
        case AL_CMD_RULES:
            rc = al_cmd_rules(&o);
            break;
        case AL_CMD_SCHEMA:
            rc = al_cmd_schema(&o);
            break;
        case AL_CMD_EXPLAIN:
            rc = al_cmd_explain(&o);
            break;
        case AL_CMD_INSTALL_HOOK:
            rc = al_cmd_install_hook(&o);
            break;
        case AL_CMD_DIFF:
            rc = al_cmd_diff(&o);
            break;
        case AL_CMD_RBAC:
            rc = al_cmd_rbac(&o);
            break;
        case AL_CMD_REPORT:
            rc = al_cmd_report(&o);
            break;
        case AL_CMD_CAN_I:
            rc = al_cmd_can_i(&o);
            break;
        case AL_CMD_WHO_CAN:
            rc = al_cmd_who_can(&o);
            break;
        default:
            rc = al_cmd_check(&o);
            break;
        }
    }
    al_opts_free(&o);
    return rc;
}
