/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/: the face of the subsystem, what code outside cli/ includes.
 * The command line: struct eas_plugin (a plugin's description and its
 * option rows) parsed by eas_opts_parse into struct eas_opts (eas_opts_free),
 * --extra-opts ini files read by eas_extraopts_load. */
#ifndef EAS_FACE_CLI_H
#define EAS_FACE_CLI_H

#include "cli/options.h"
#include "cli/extraopts.h"

#endif
