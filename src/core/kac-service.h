/* kac-service.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One service of the minimum service basket, as the catalogue describes it. Immutable.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KAC_TYPE_SERVICE (kac_service_get_type ())

G_DECLARE_FINAL_TYPE (KacService, kac_service, KAC, SERVICE, GObject)

/* Properties (all read-only, construct-only): "code" (e.g. "VSAA-01", unique in a catalogue),
 * "institution-code" ("VSAA"), "institution-name" (in Latvian), "name" (in Latvian),
 * "name-en", "catalog-id" (state service catalogue id like "p294", or NULL), "sample" (TRUE
 * when the entry is sample data, not from the central system). */
KacService *kac_service_new                    (const char *code,
                                                const char *institution_code,
                                                const char *institution_name,
                                                const char *name,
                                                const char *name_en,
                                                const char *catalog_id,
                                                gboolean    sample);
const char *kac_service_get_code               (KacService *self);
const char *kac_service_get_institution_code   (KacService *self);
const char *kac_service_get_institution_name   (KacService *self);
const char *kac_service_get_name               (KacService *self);
const char *kac_service_get_name_en            (KacService *self);
const char *kac_service_get_catalog_id         (KacService *self);
gboolean    kac_service_get_sample             (KacService *self);

G_END_DECLS
