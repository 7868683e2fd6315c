/* kac-materials-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_MATERIALS_PAGE (kac_materials_page_get_type ())

G_DECLARE_FINAL_TYPE (KacMaterialsPage, kac_materials_page, KAC, MATERIALS_PAGE, GtkWidget)

void      kac_materials_page_set_store     (KacMaterialsPage *self,
                                            KacStore         *store);
/* Reads the list again (after a pull), keeping the search and the material shown. */
void      kac_materials_page_refresh       (KacMaterialsPage *self);
/* Opens material @id (its newest version) and marks it read. FALSE if it is not in the store. */
gboolean  kac_materials_page_open_material (KacMaterialsPage *self,
                                            const char       *id);
void      kac_materials_page_focus_search  (KacMaterialsPage *self);

/* Tests: the search entry, the list of materials or hits, and the text of the material shown. */
GtkEditable *_kac_materials_page_get_search_entry (KacMaterialsPage *self);
GtkListBox  *_kac_materials_page_get_list         (KacMaterialsPage *self);
GtkLabel    *_kac_materials_page_get_body_label   (KacMaterialsPage *self);

G_END_DECLS
