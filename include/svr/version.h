/* SPDX-License-Identifier: GPL-2.0 */
/* The one version string of svr.ko and svrctl. */
#ifndef _SVR_VERSION_H
#define _SVR_VERSION_H

#define SVR_VERSION "0.1.0"

#endif /* _SVR_VERSION_H */
