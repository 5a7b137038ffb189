@description('The work queues as core/Queues/QueueDefinition.cs defines them: one per task priority, and the two notification queues.')
param name string
param location string
param tags object

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
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
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
