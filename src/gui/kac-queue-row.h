/* kac-queue-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kac-record.h"
#include "kac-wire.h"

G_BEGIN_DECLS

#define KAC_TYPE_QUEUE_ROW (kac_queue_row_get_type ())

G_DECLARE_FINAL_TYPE (KacQueueRow, kac_queue_row, KAC, QUEUE_ROW, GtkWidget)

GtkWidget *kac_queue_row_new        (void);
KacRecord *kac_queue_row_get_record (KacQueueRow *self);
/* Shows @record and follows its changes until another record (or NULL) is set. */
void       kac_queue_row_set_record (KacQueueRow *self,
                                     KacRecord   *record);
/* The application's status on the central system for the record shown (set after
 * kac_queue_row_set_record(), which forgets the previous one); @known FALSE when none is known
 * yet. @due_date is "YYYY-MM-DD" or NULL. */
void       kac_queue_row_set_application_status (KacQueueRow          *self,
                                                 gboolean              known,
                                                 KacApplicationStatus  status,
                                                 const char           *due_date);
/* "12:05" today, "03.02. 12:05" on another day, in local time. */
char      *kac_queue_row_format_time (GDateTime  *utc);

G_END_DECLS
