#pragma once

#include "common/viewcontext.h"
#include "resourcedescriptor.h"
#include "resourceview.h" // complete, so that a ResourceView * converts to QWidget *

namespace md::ui {

/// The four administration resources of API.md, each described once; the generic
/// ResourceModel, ResourceView and ResourceFormDialog do the rest.
ResourceDescriptor equipmentDescriptor();
ResourceDescriptor engineersDescriptor();
ResourceDescriptor organizationsDescriptor();
ResourceDescriptor usersDescriptor();

/// The views ("equipmentView", "engineersView", "organizationsView", "usersView").
ResourceView *createEquipmentView(const ViewContext &context, QWidget *parent = nullptr);
ResourceView *createEngineersView(const ViewContext &context, QWidget *parent = nullptr);
ResourceView *createOrganizationsView(const ViewContext &context, QWidget *parent = nullptr);
ResourceView *createUsersView(const ViewContext &context, QWidget *parent = nullptr);

} // namespace md::ui
