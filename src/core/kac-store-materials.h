/* kac-store-materials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacStore, by concern: the desk's offline cache of methodological materials and staff notices
 * (issue 4), with full-text search and attachments. Filled by the sync engine: each pulled
 * page and its cursor are applied in one transaction, so a kill resumes from the last whole
 * page.
 *
 * Notifications: applying a page returns the items to notify about — new or updated
 * materials, and absence and substitution notices — and marks them notified in the same
 * transaction, so each item-version is announced at most once, also across restarts. Nothing
 * is announced while the store is being filled for the first time (until a first pull has
 * reached the end of its feed): a clerk starting KAC Desk must not get a flood of pop-ups for
 * old items; the lists still show them as new.
 */
#pragma once

#include "kac-store.h"
#include "kac-wire.h"

G_BEGIN_DECLS

#define KAC_STORE_MATERIALS_CURSOR_KEY "materials-cursor"
#define KAC_STORE_NOTICES_CURSOR_KEY   "notices-cursor"

/* One material of the cache, for lists. */
typedef struct
{
  char      *id;
  char      *institution;
  char      *title;
  GStrv      services;
  gint64     version;
  gint64     read_version;   /* 0: never opened ("new"); < version: updated since read */
  GDateTime *updated_at;
} KacMaterialInfo;

void        kac_material_info_free            (KacMaterialInfo *info);

/* One search hit. */
typedef struct
{
  char   *id;
  char   *title_markup;     /* Pango markup, hits in <b> */
  char   *snippet_markup;   /* Pango markup, a piece of the text around the hits */
  double  rank;             /* FTS5 bm25, lower is better; compares hits of one search
                             * only within a group (see kac_store_search_materials()) */
} KacMaterialHit;

void        kac_material_hit_free             (KacMaterialHit *hit);

/* Applies a feed page and stores its cursor, in one transaction. *@to_notify (optional)
 * receives the page's items to announce (borrowed from @page: KacWireMaterial or
 * KacWireNotice), already marked notified. */
gboolean    kac_store_apply_materials_page    (KacStore         *self,
                                               KacWireFeedPage  *page,
                                               GPtrArray       **to_notify,
                                               GError          **error);
gboolean    kac_store_apply_notices_page      (KacStore         *self,
                                               KacWireFeedPage  *page,
                                               GPtrArray       **to_notify,
                                               GError          **error);

/* Of KacMaterialInfo, by institution then title. */
GPtrArray  *kac_store_list_materials          (KacStore         *self,
                                               GError          **error);
/* NULL without an error when there is no such material. */
KacWireMaterial *kac_store_lookup_material    (KacStore         *self,
                                               const char       *id,
                                               gint64           *read_version,
                                               GError          **error);
/* The clerk opened version @version of @id. */
gboolean    kac_store_mark_material_read      (KacStore         *self,
                                               const char       *id,
                                               gint64            version,
                                               GError          **error);
/* Full-text search: words match as prefixes ("berna" finds "bērnam"), case and diacritics
 * ignored; "quoted words" match as a phrase. Of KacMaterialHit, best first. An empty query
 * gives an empty array. Up to 2,000 matches are ranked together; with more, the materials
 * with every word in the title come first (each group ranked among at most its 250 most
 * recently added materials, or @limit if more). */
GPtrArray  *kac_store_search_materials        (KacStore         *self,
                                               const char       *query,
                                               guint             limit,
                                               GError          **error);

/* Of KacWireNotice, all notices of the centre that are not withdrawn, by starts_at. */
GPtrArray  *kac_store_list_notices            (KacStore         *self,
                                               GError          **error);

/* Attachments, in the folder "attachments" beside the store's file. */
char       *kac_store_dup_attachments_dir     (KacStore         *self);
/* The file of attachment @sha256, or NULL when it is not here. */
char       *kac_store_dup_attachment_path     (KacStore         *self,
                                               const char       *sha256);
/* Checks that @data hashes to @sha256 (else KAC_STORE_ERROR_INVALID and nothing is written),
 * writes it to a temporary file, syncs it and renames it into place. */
gboolean    kac_store_save_attachment         (KacStore         *self,
                                               const char       *sha256,
                                               GBytes           *data,
                                               GError          **error);
/* Hashes of attachments that current materials name and that are not here. */
GStrv       kac_store_dup_missing_attachments (KacStore         *self,
                                               GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacMaterialInfo, kac_material_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacMaterialHit, kac_material_hit_free)

G_END_DECLS
