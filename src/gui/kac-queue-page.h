/* kac-queue-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_TYPE_QUEUE_PAGE (kac_queue_page_get_type ())

G_DECLARE_FINAL_TYPE (KacQueuePage, kac_queue_page, KAC, QUEUE_PAGE, GtkWidget)

/* Signal "open-record" (KacRecord *record): the clerk wants to correct an editable record. */
void        kac_queue_page_set_store (KacQueuePage *self,
                                      KacStore     *store);
/* The records as shown: the store's model filtered by the search. */
GListModel *kac_queue_page_get_model (KacQueuePage *self);

G_END_DECLS
