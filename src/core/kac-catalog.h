/* kac-catalog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogue of the minimum service basket: a GListModel of KacService. The central system
 * owns the real catalogue; until it is pulled, the sample catalogue compiled into libkac's
 * GResource (data/catalog/sample-catalog.json) stands in and says so (kac_catalog_is_sample).
 */
#pragma once

#include <gio/gio.h>

#include "kac-service.h"

G_BEGIN_DECLS

#define KAC_CATALOG_ERROR (kac_catalog_error_quark ())

typedef enum
{
  KAC_CATALOG_ERROR_INVALID,   /* not a catalogue: bad JSON, missing fields, duplicate codes */
} KacCatalogError;

#define KAC_TYPE_CATALOG (kac_catalog_get_type ())

G_DECLARE_FINAL_TYPE (KacCatalog, kac_catalog, KAC, CATALOG, GObject)

GQuark      kac_catalog_error_quark   (void);

KacCatalog *kac_catalog_new_from_bytes (GBytes      *json,
                                        GError     **error);
KacCatalog *kac_catalog_new_sample     (void);
gboolean    kac_catalog_is_sample      (KacCatalog  *self);
/* The service with this exact code, or NULL; owned by the catalogue (transfer none). */
KacService *kac_catalog_lookup         (KacCatalog  *self,
                                        const char  *code);

/* How often this terminal used each service (code → GUINT_TO_POINTER (count)); used to put the
 * clerk's most used services first. The table is copied. NULL clears. */
void        kac_catalog_set_usage      (KacCatalog  *self,
                                        GHashTable  *usage);

/* Services matching @query, best first (most used, then by name). The query ignores case and
 * Latvian diacritics ("berna kopsanas" finds "bērna kopšanas"); its words match in any order,
 * each as the prefix of a word of the service name, the institution's code or name, the service
 * code or catalogue id. An empty query gives every service. Returns a new GListModel of
 * KacService. */
GListModel *kac_catalog_search         (KacCatalog  *self,
                                        const char  *query);

/* Case- and diacritic-folding used by every search of the terminal: "Bērna Kopšanas" →
 * "berna kopsanas". */
char       *kac_fold_for_search        (const char  *text);

G_END_DECLS
