@description('The work queues as core/Queues/QueueDefinition.cs defines them: one per task priority, and the two notification queues.')
param name string
param location string
param tags object

@allowed(['Standard', 'Premium'])
@description('Standard: shared, 1,000 operations a second per namespace (credit-based throttling). Premium: dedicated messaging units.')
param sku string

@allowed([1, 2, 4, 8, 16])
@description('Premium only: messaging units, about 4 MB/s of ingress and egress each; a multiple of premiumPartitions. Can be changed later.')
param messagingUnits int

@allowed([1, 2, 4])
@description('Premium only: partitions of the namespace, which every queue is spread over. Set when the namespace is created and never after.')
param premiumPartitions int

var premium = sku == 'Premium'

// The same definitions as WorkQueues.All (WorkQueues.Tasks, then WorkQueues.NotificationEvents): a 30 s lock, 10
// deliveries before dead-lettering, 14 days to live, and dead-lettering on expiry, so that neither a task message nor
// a raised notification event is ever dropped silently. A test checks the two agree.
var queueNames = [
  'tasks-critical'
  'tasks-high'
  'tasks-medium'
  'tasks-low'
  'notifications-critical'
  'notifications'
]

// Local authentication off: no SAS keys, only Entra ID (Azure Service Bus Data Sender and Receiver).
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: premium ? {
    name: 'Premium'
    tier: 'Premium'
    capacity: messagingUnits
  } : {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: union({
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }, premium ? { premiumMessagingPartitions: premiumPartitions } : {})
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for queueName in queueNames: {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: 'PT30S'
    maxDeliveryCount: 10
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
  }
}]

output name string = namespace.name
