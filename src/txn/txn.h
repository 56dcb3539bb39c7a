// txn: Caisson's transaction side [issue #9]: reading CAT order-event files and reconciling the FDIDs they
// carry with the firm's CAIS state. The module's public headers, included here for other modules:
// events.h (catalogue, file names, timestamps, the streaming EventReader), reconcile.h (FDID
// reconciliation) and linkage.h (linkage checks before submission). Other modules include "txn/txn.h".
#pragma once

#include "txn/events.h"
#include "txn/linkage.h"
#include "txn/reconcile.h"
