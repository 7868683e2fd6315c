/* kac-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-catalog.h"
#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_APPLICATION (kac_application_get_type ())

G_DECLARE_FINAL_TYPE (KacApplication, kac_application, KAC, APPLICATION, AdwApplication)

KacApplication *kac_application_new               (void);
/* NULL when the store could not be opened; kac_application_get_store_error() says why. */
KacStore       *kac_application_get_store         (KacApplication *self);
const GError   *kac_application_get_store_error   (KacApplication *self);
KacCatalog     *kac_application_get_catalog       (KacApplication *self);

G_END_DECLS
