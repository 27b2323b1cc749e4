// SPDX-License-Identifier: GPL-2.0
/* Instantiates the tracepoints declared in svr_trace.h. */
#define CREATE_TRACE_POINTS
#include "svr_trace.h"
